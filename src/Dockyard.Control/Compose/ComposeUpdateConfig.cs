namespace Dockyard.Control.Compose;

/// <summary><c>deploy.update_config</c> or <c>rollback_config</c>.</summary>
public sealed record ComposeUpdateConfig
{
    public long? Parallelism { get; init; }

    public TimeSpan? Delay { get; init; }

    /// <summary><c>continue</c>, <c>pause</c> or <c>rollback</c> (update only).</summary>
    public string? FailureAction { get; init; }

    public TimeSpan? Monitor { get; init; }

    public double? MaxFailureRatio { get; init; }

    /// <summary><c>stop-first</c> or <c>start-first</c>.</summary>
    public string? Order { get; init; }
}
