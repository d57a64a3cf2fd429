using Dockyard.Registry.Errors;

namespace Dockyard.Registry.Policies;

/// <summary>
/// Repository policies (tag immutability, storage quotas) as the content services see them. The services consult
/// it at the points where a write becomes visible, under the same lock or transaction that makes it visible, so a
/// check and its act cannot interleave with another write of the same tag. A refusal is a
/// <see cref="RegistryException"/> with <see cref="RegistryErrorCode.Denied"/> and a message for the user.
/// </summary>
public interface IRegistryWritePolicy
{
    /// <summary>
    /// The refusal to use if <paramref name="tag"/> is changed (<paramref name="change"/>) — thrown by the caller only
    /// when the change really happens (the tag exists and, for an overwrite, points elsewhere) — or null when the tag
    /// may change freely. Called on every push by tag and every delete, so it must answer from memory.
    /// </summary>
    ValueTask<RegistryException?> CheckTagChangeAsync(RepositoryName repository, string tag, TagChange change, CancellationToken cancellationToken);

    /// <summary>
    /// Called before content of <paramref name="size"/> bytes (a blob or a manifest body) is linked into
    /// <paramref name="repository"/>. Throws <see cref="RegistryException"/> (DENIED) when it may not be; otherwise
    /// returns a lease the caller disposes once the link is committed (null when there is nothing to hold), so that
    /// admissions that count against one limit are decided one at a time. The lease may be a shared lock
    /// (<see cref="Coordination.IRegistryLocks"/>): callers take it after their upload-session lock and before the
    /// tag lock, never the other way round.
    /// </summary>
    ValueTask<IAsyncDisposable?> AdmitContentAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken);
}
