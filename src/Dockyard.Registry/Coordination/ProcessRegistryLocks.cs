using Dockyard.Registry.Content;

namespace Dockyard.Registry.Coordination;

/// <summary>
/// <see cref="IRegistryLocks"/> inside one process: a keyed async lock, reference-counted so idle keys cost nothing.
/// Correct for a single node only; scale-out deployments layer a shared lock on top of it.
/// </summary>
public sealed class ProcessRegistryLocks : IRegistryLocks
{
    private readonly KeyedAsyncLock _locks = new();

    public async ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken) =>
        new Held(await _locks.AcquireAsync(key, cancellationToken));

    private sealed class Held(IDisposable releaser) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            releaser.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
