namespace Dockyard.Server.Observability;

/// <summary>When this server process started (resolved while the app is built), for <c>GET /api/v1/system</c>.</summary>
internal sealed class ServerStart(TimeProvider clock)
{
    /// <summary>The moment the app was built.</summary>
    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    /// <summary>Whole seconds since <see cref="StartedAt"/>.</summary>
    public long UptimeSeconds => (long)(clock.GetUtcNow() - StartedAt).TotalSeconds;
}
