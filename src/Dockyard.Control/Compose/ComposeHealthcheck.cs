namespace Dockyard.Control.Compose;

/// <summary><c>healthcheck</c>: <see cref="Test"/> as the engine takes it (<c>["CMD-SHELL", "…"]</c> for a string).</summary>
public sealed record ComposeHealthcheck
{
    public IReadOnlyList<string>? Test { get; init; }

    public TimeSpan? Interval { get; init; }

    public TimeSpan? Timeout { get; init; }

    public TimeSpan? StartPeriod { get; init; }

    public TimeSpan? StartInterval { get; init; }

    public long? Retries { get; init; }

    public bool Disable { get; init; }
}
