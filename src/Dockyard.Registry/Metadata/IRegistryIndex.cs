namespace Dockyard.Registry.Metadata;

/// <summary>
/// The metadata index: which repositories exist, which blobs and manifests each holds, and where its
/// tags point. Blob bytes live in storage; this is the fast, queryable view of them. Implementations
/// (EF Core on SQLite or PostgreSQL) must make every method atomic.
/// </summary>
public interface IRegistryIndex
{
    /// <summary>
    /// True when the index itself serializes writes to one tag across every process sharing it (PostgreSQL's
    /// advisory locks): <see cref="PutManifestAsync"/>, <see cref="DeleteTagAsync"/> and
    /// <see cref="DeleteManifestAsync"/> then hold a per-tag lock from before their row changes until commit, and
    /// the caller writes the storage tag link in <c>beforeCommit</c>, so link and row agree on the last writer
    /// across replicas. False (the default) means the caller serializes per tag itself (IRegistryLocks) and
    /// writes the link after the commit, so a database with one global write lock (SQLite) is not held across a
    /// storage write.
    /// </summary>
    bool SerializesTagWrites => false;

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

    /// <summary>Removes a blob from a repository (the bytes stay until garbage collection). False when it was not linked.</summary>
    Task<bool> UnlinkBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    Task<ManifestRecord?> GetManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    Task<ManifestRecord?> ResolveTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken);

    /// <summary>Digests among <paramref name="digests"/> that are manifests of the repository.</summary>
    Task<IReadOnlySet<Digest>> FindManifestsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);

    /// <summary>Digests among <paramref name="digests"/> that are blobs linked into the repository.</summary>
    Task<IReadOnlySet<Digest>> FindBlobsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a manifest with what it references and, when <paramref name="tag"/> is set, points the tag at it,
    /// all in one transaction. Re-putting the same digest is idempotent; the last tag write wins.
    /// <paramref name="beforeCommit"/> runs inside the transaction after the rows are written and before commit,
    /// while the database holds the write lock, so storage links written there land in the same order as the commits.
    /// </summary>
    /// <remarks>
    /// The same transaction marks the manifest and every reference as just seen (the garbage-collection protocol:
    /// a reference is only ever added together with that mark, so a collection either sees it or fails to mark the
    /// blob). With <paramref name="verifyReferences"/>, it then checks that each reference is a blob linked into the
    /// repository or a manifest of it and is not being deleted; if any is not, nothing is written and those digests
    /// are returned. Re-indexing passes false (children may be restored after their index).
    /// </remarks>
    /// <returns>The references that failed verification; empty when the manifest was stored.</returns>
    Task<IReadOnlyList<Digest>> PutManifestAsync(
        RepositoryName repository,
        ManifestRecord manifest,
        IReadOnlyList<Digest> references,
        string? tag,
        bool verifyReferences,
        Func<CancellationToken, Task>? beforeCommit,
        CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a manifest and every tag pointing at it. False when the repository has no such manifest.
    /// <paramref name="beforeCommit"/> receives the removed tags and runs inside the transaction.
    /// </summary>
    Task<bool> DeleteManifestAsync(
        RepositoryName repository,
        Digest digest,
        Func<IReadOnlyList<string>, CancellationToken, Task>? beforeCommit,
        CancellationToken cancellationToken);

    /// <summary>Deletes one tag, leaving the manifest. False when the tag does not exist. <paramref name="beforeCommit"/> runs inside the transaction.</summary>
    Task<bool> DeleteTagAsync(RepositoryName repository, string tag, Func<CancellationToken, Task>? beforeCommit, CancellationToken cancellationToken);

    /// <summary>Tags in lexical (ordinal) order after <paramref name="last"/>, at most <paramref name="limit"/>; null when the repository does not exist.</summary>
    Task<IReadOnlyList<string>?> ListTagsAsync(RepositoryName repository, string? last, int limit, CancellationToken cancellationToken);

    /// <summary>Repository names in lexical order after <paramref name="last"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListRepositoriesAsync(string? last, int limit, CancellationToken cancellationToken);

    /// <summary>Manifests of the repository whose subject is <paramref name="subject"/>, optionally filtered by artifact type.</summary>
    Task<IReadOnlyList<ManifestRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, string? artifactType, CancellationToken cancellationToken);
}
