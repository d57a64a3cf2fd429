namespace Dockyard.Server.Events;

/// <summary><c>Dockyard:Events</c>: how registry events reach their consumers (webhooks, redeploy on push, …).</summary>
internal sealed record RegistryEventOptions
{
    public const string Section = "Dockyard:Events";

    /// <summary>
    /// In-memory queue of the events that are not recorded in the outbox (pulls, blob uploads): held before new ones
    /// are dropped (and counted) rather than slowing requests down.
    /// </summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>How long a graceful shutdown keeps handing queued in-memory events to consumers.</summary>
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the outbox dispatcher looks for events recorded by other replicas or CLI verbs (local ones wake it at once).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long delivered events stay in <c>registry_outbox</c> (for diagnostics) before they are pruned.</summary>
    public TimeSpan OutboxRetention { get; init; } = TimeSpan.FromHours(1);
}
