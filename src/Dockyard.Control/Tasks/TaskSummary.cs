namespace Dockyard.Control.Tasks;

/// <summary>One Swarm task: where it runs, what it should be and what it is, and its container once it has one.</summary>
public sealed record TaskSummary
{
    public required string Id { get; init; }

    public required string ServiceId { get; init; }

    /// <summary>Replica slot; null for global services.</summary>
    public long? Slot { get; init; }

    public string? NodeId { get; init; }

    public string DesiredState { get; init; } = string.Empty;

    /// <summary><c>Status.State</c>: new, pending, assigned, accepted, preparing, starting, running, complete, failed, shutdown, rejected, orphaned, remove.</summary>
    public string State { get; init; } = string.Empty;

    public string? Message { get; init; }

    /// <summary><c>Status.Err</c>: why a task failed or is not scheduled (e.g. "no suitable node …").</summary>
    public string? Error { get; init; }

    public string? ContainerId { get; init; }

    /// <summary>The image the task runs (<c>Spec.ContainerSpec.Image</c>).</summary>
    public string Image { get; init; } = string.Empty;

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}
