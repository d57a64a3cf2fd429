namespace Dockyard.Registry.Maintenance;

/// <summary>
/// The time limits every party of the online garbage-collection protocol agrees on (see <see cref="GarbageCollector"/>).
/// </summary>
public static class GarbageCollectionProtocol
{
    /// <summary>
    /// A collection deletes a marked blob's bytes only within this time after marking it. Past it, another collection
    /// may re-mark the blob (the first one crashed or stalled), so the first must not touch storage any more.
    /// </summary>
    public static readonly TimeSpan MarkLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A deletion mark this old belongs to a collection that died: an upload of the same content clears it and
    /// proceeds instead of waiting forever. Three times <see cref="MarkLifetime"/>, so no live collection still acts on it.
    /// </summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(15);

    /// <summary>How long an upload or manifest push waits for a collection to finish deleting the same content.</summary>
    public static readonly TimeSpan ReservationTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Polling interval while waiting.</summary>
    public static readonly TimeSpan ReservationPoll = TimeSpan.FromMilliseconds(50);
}
