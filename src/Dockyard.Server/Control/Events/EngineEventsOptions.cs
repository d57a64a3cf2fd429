namespace Dockyard.Server.Control.Events;

/// <summary><c>Dockyard:Control:Events</c>: the cluster event history (see docs/control-plane.md, "Events").</summary>
internal sealed class EngineEventsOptions
{
    public const string Section = "Dockyard:Control:Events";

    /// <summary>Consume the engines' event streams at all (the history and its API stay available).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long stored events are kept; older ones are deleted by a periodic job, in batches.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention job runs.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement by the retention job.</summary>
    public int PruneBatchSize { get; set; } = 5_000;

    /// <summary>
    /// How long a replica's claim on an engine's stream lasts without renewal (renewed every third of it); another
    /// replica takes the stream over at most this long after the holder died.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Upper bound of the reconnect backoff (1 s, doubling).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);
}
