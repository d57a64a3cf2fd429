using Dockyard.Registry.Maintenance;

namespace Dockyard.Server.Coordination;

/// <summary>
/// One garbage collection at a time across every process and replica: the <c>gc</c> row of the database leases.
/// <c>dockyard backup</c> holds it too, so no collection deletes a blob the backup's database snapshot references.
/// A second collection in the same process is refused at once by the in-process gate (the database lock would make
/// it wait for the first instead).
/// </summary>
internal sealed class DatabaseGarbageCollectionLease(DatabaseRegistryLocks locks) : IGarbageCollectionLease
{
    private const string Key = "gc";

    private readonly InProcessGarbageCollectionLease _local = new();

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        if (await _local.TryAcquireAsync(cancellationToken) is not { } local)
        {
            return null;
        }

        try
        {
            if (await locks.TryAcquireAsync(Key, cancellationToken) is { } held)
            {
                return new Both(held, local);
            }
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }

        await local.DisposeAsync();
        return null;
    }

    /// <summary>The database lease and the in-process gate, released in that order.</summary>
    private sealed class Both(IAsyncDisposable database, IAsyncDisposable local) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await database.DisposeAsync();
            }
            finally
            {
                await local.DisposeAsync();
            }
        }
    }
}
