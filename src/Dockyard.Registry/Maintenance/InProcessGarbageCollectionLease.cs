namespace Dockyard.Registry.Maintenance;

/// <summary>A lease held by at most one caller in this process (single-node deployments).</summary>
public sealed class InProcessGarbageCollectionLease : IGarbageCollectionLease
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken) =>
        await _gate.WaitAsync(TimeSpan.Zero, cancellationToken) ? new Held(_gate) : null;

    private sealed class Held(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
