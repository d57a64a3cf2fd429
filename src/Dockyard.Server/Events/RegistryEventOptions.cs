namespace Dockyard.Server.Events;

/// <summary><c>Dockyard:Events</c>: the in-process queue between the registry and its event consumers.</summary>
internal sealed record RegistryEventOptions
{
    public const string Section = "Dockyard:Events";

    /// <summary>Events held before new ones are dropped (and counted) rather than slowing requests down.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>How long a graceful shutdown keeps handing queued events to consumers.</summary>
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
