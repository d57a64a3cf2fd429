namespace Dockyard.Control.Services;

/// <summary>One Swarm service as listed (<c>status=true</c>): its name, labels, image, mode and task counts.</summary>
public sealed record ServiceSummary
{
    public required string Id { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>The spec's image, as the CLI pins it with <c>--with-registry-auth</c>: <c>repo:tag@sha256:…</c>.</summary>
    public string Image { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>replicated or global (the other job modes are listed as they are named).</summary>
    public string Mode { get; init; } = string.Empty;

    /// <summary>Desired replicas of a replicated service; null for global.</summary>
    public long? Replicas { get; init; }

    /// <summary><c>ServiceStatus.RunningTasks</c>.</summary>
    public long RunningTasks { get; init; }

    /// <summary><c>ServiceStatus.DesiredTasks</c>.</summary>
    public long DesiredTasks { get; init; }

    /// <summary><c>UpdateStatus.State</c> (updating, paused, completed, rollback_*), null when never updated.</summary>
    public string? UpdateState { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}
