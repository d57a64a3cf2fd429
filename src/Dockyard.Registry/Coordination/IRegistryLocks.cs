namespace Dockyard.Registry.Coordination;

/// <summary>
/// Named mutual exclusion for registry writes that must not interleave: the chunks of one upload session
/// (<c>upload:&lt;id&gt;</c>), a tag's index row together with its storage link (<c>tag:&lt;repository&gt;:&lt;tag&gt;</c>),
/// and the admissions counted against one organization's quota (<c>quota:&lt;org&gt;</c>). One process needs only
/// <see cref="ProcessRegistryLocks"/>; replicas that share a database and storage need an implementation whose exclusion
/// spans processes (the server's database leases). Locks are not reentrant; a holder of several takes them in the
/// order upload, quota, tag, so no two requests can wait for each other.
/// </summary>
public interface IRegistryLocks
{
    /// <summary>
    /// Waits until <paramref name="key"/> is held exclusively by the caller; disposing the result releases it.
    /// Keys are short ASCII strings (at most 512 characters) chosen by the registry, never taken raw from a request.
    /// </summary>
    ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken);
}
