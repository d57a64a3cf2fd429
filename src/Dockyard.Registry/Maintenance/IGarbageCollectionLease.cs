namespace Dockyard.Registry.Maintenance;

/// <summary>
/// Only one collection runs at a time. The in-process implementation serializes runs inside one process; a
/// multi-replica deployment replaces it with a lease every replica sees (a PostgreSQL advisory lock).
/// </summary>
public interface IGarbageCollectionLease
{
    /// <summary>The lease until disposed, or null when another collection holds it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken);
}
