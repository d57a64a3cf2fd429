using Dockyard.Registry.Maintenance;

namespace Dockyard.Server.Coordination;

/// <summary>
/// One garbage collection at a time across every process and replica: the <c>gc</c> row of the database leases.
/// <c>dockyard backup</c> holds it too, so no collection deletes a blob the backup's database snapshot references.
/// </summary>
internal sealed class DatabaseGarbageCollectionLease(DatabaseRegistryLocks locks) : IGarbageCollectionLease
{
    private const string Key = "gc";

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken) =>
        await locks.TryAcquireAsync(Key, cancellationToken);
}
