namespace Dockyard.Server.Data;

/// <summary>
/// A snapshot loaded from the database for hot paths: kept until <see cref="Invalidate"/> (a change through this process)
/// or until it is older than the TTL (changes made through other replicas). One load at a time; readers never wait for a
/// reload while a fresh snapshot exists, so the common case is a field read.
/// </summary>
/// <param name="load">Loads a new snapshot; it is given the one it replaces, if any, and whether it was invalidated (else it merely aged).</param>
/// <param name="time">The clock the TTL is measured with.</param>
/// <param name="ttl">How long a snapshot serves without an invalidation (read on every check, so options may change).</param>
internal sealed class ReloadingSnapshot<T>(Func<ReloadingSnapshot<T>.Replaced?, CancellationToken, Task<T>> load, TimeProvider time, Func<TimeSpan> ttl) : IDisposable
    where T : class
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Loaded? _current;
    private long _version;

    /// <summary>The snapshot a load replaces, and whether <see cref="Invalidate"/> was called since it was loaded.</summary>
    public sealed record Replaced(T Snapshot, bool Invalidated);

    public ValueTask<T> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        return IsFresh(current) ? ValueTask.FromResult(current!.Snapshot) : new ValueTask<T>(ReloadAsync(cancellationToken));
    }

    /// <summary>Called after every change: the next <see cref="GetAsync"/> reloads.</summary>
    public void Invalidate() => Interlocked.Increment(ref _version);

    public void Dispose() => _loading.Dispose();

    private async Task<T> ReloadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            var current = _current;
            if (IsFresh(current))
            {
                return current!.Snapshot;
            }

            var version = Interlocked.Read(ref _version);
            var snapshot = await load(current is null ? null : new Replaced(current.Snapshot, current.Version != version), cancellationToken);
            _current = new Loaded(snapshot, version, time.GetUtcNow());
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private bool IsFresh(Loaded? loaded) =>
        loaded is not null && loaded.Version == Interlocked.Read(ref _version) && time.GetUtcNow() - loaded.LoadedAt < ttl();

    private sealed record Loaded(T Snapshot, long Version, DateTimeOffset LoadedAt);
}
