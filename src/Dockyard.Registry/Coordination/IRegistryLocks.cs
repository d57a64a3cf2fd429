namespace Dockyard.Registry.Coordination;

/// <summary>
/// Named mutual exclusion for registry writes that must not interleave: the chunks of one upload session, and a tag's
/// index row together with its storage link. One process needs only <see cref="ProcessRegistryLocks"/>; replicas that
/// share a database and storage need an implementation whose exclusion spans processes (the server's database leases).
/// </summary>
public interface IRegistryLocks
{
    /// <summary>
    /// Waits until <paramref name="key"/> is held exclusively by the caller; disposing the result releases it.
    /// Keys are short ASCII strings (at most 512 characters) chosen by the registry, never taken raw from a request.
    /// </summary>
    ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken);
}
