using Dockyard.Registry.Events;

namespace Dockyard.Registry.Metadata;

/// <summary>
/// The blob role of the metadata index: which blobs each repository holds, and the blob records' <em>last seen</em> marks
/// that keep them from garbage collection (the content side of its protocol).
/// Implementations must make every method atomic.
/// </summary>
public interface IBlobIndex
{
    /// <summary>The blob when <paramref name="digest"/> is linked into the repository, with its last-seen time (one read); else null.</summary>
    Task<LinkedBlob?> FindBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the blob's last-seen time to now, so garbage collection keeps it for the grace period, provided it is still
    /// linked into the repository and no collection has marked it for deletion (the same row lock as the mark, so one
    /// of them wins). False otherwise: the caller treats the blob as already gone.
    /// </summary>
    Task<bool> RefreshBlobAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken);

    /// <summary>
    /// Records that a verified blob belongs to a repository, creating the repository on first use, and marks the blob
    /// as just seen (garbage collection keeps it for the grace period). Idempotent. False, with nothing linked, when
    /// garbage collection is deleting the blob: the caller treats it as unknown (a client then uploads it again).
    /// </summary>
    Task<bool> LinkBlobAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a blob as just seen before its bytes are written to (or relied on at) its storage path, creating its blob
    /// record when absent, so garbage collection keeps it for the grace period. False when a collection is deleting it
    /// right now (its deletion mark is newer than <paramref name="abandonedBefore"/>): the caller waits and retries. A
    /// mark older than <paramref name="abandonedBefore"/> belongs to a collection that died; it is cleared and the
    /// blob reserved.
    /// </summary>
    Task<bool> ReserveBlobAsync(Digest digest, long size, DateTimeOffset abandonedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a blob from a repository (the bytes stay until garbage collection). False when it was not linked.
    /// <paramref name="outboxEvent"/>, when set, is recorded in the same transaction.
    /// </summary>
    Task<bool> UnlinkBlobAsync(RepositoryName repository, Digest digest, RegistryEvent? outboxEvent, CancellationToken cancellationToken);

    /// <summary>Digests among <paramref name="digests"/> that are blobs linked into the repository.</summary>
    Task<IReadOnlySet<Digest>> FindBlobsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);
}
