namespace Dockyard.Registry.Maintenance;

/// <summary>
/// What <see cref="GarbageCollector"/> asks of the metadata index: liveness is decided by queries over the index's
/// references, never by walking storage. Every delete is conditional and transactional: it re-checks, under the
/// blob record's lock, that the row is still unreferenced and older than the grace, and does nothing otherwise.
/// </summary>
public interface IGarbageCollectionIndex
{
    /// <summary>Creates blob records for linked blobs and manifests that have none (data indexed before records existed). Returns how many.</summary>
    Task<int> AdoptUntrackedBlobsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Untagged manifests created before <paramref name="createdBefore"/> and last seen before <paramref name="seenBefore"/>
    /// that no manifest of their repository references, and whose subject (if any) is not a manifest of the repository;
    /// ordered by repository and digest, after <paramref name="after"/>.
    /// </summary>
    Task<IReadOnlyList<ManifestCandidate>> FindUntaggedManifestsAsync(
        DateTimeOffset createdBefore,
        DateTimeOffset seenBefore,
        ManifestCandidate? after,
        int limit,
        CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the manifest and its references if it still qualifies (see <see cref="FindUntaggedManifestsAsync"/>).
    /// <paramref name="beforeCommit"/> runs inside the transaction (storage link removal). False when it no longer qualifies.
    /// </summary>
    Task<bool> DeleteUntaggedManifestAsync(
        ManifestCandidate manifest,
        DateTimeOffset createdBefore,
        DateTimeOffset seenBefore,
        Func<CancellationToken, Task> beforeCommit,
        CancellationToken cancellationToken);

    /// <summary>
    /// Blob links that no manifest of their repository references and whose blob was last seen before
    /// <paramref name="seenBefore"/> (uploads never referenced, layers of deleted manifests), ordered, after <paramref name="after"/>.
    /// </summary>
    Task<IReadOnlyList<BlobLinkCandidate>> FindUnreferencedLinksAsync(DateTimeOffset seenBefore, BlobLinkCandidate? after, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes those of <paramref name="links"/> that still qualify, in one transaction. Returns the deleted ones.</summary>
    Task<IReadOnlyList<BlobLinkCandidate>> DeleteUnreferencedLinksAsync(IReadOnlyList<BlobLinkCandidate> links, DateTimeOffset seenBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Blob records that nothing references (no manifest row of that digest, no manifest reference to it) and that were
    /// last seen before <paramref name="seenBefore"/>, plus records a dead collection marked before
    /// <paramref name="markedBefore"/>; ordered by digest after <paramref name="after"/>.
    /// </summary>
    Task<IReadOnlyList<BlobCandidate>> FindUnreferencedBlobsAsync(DateTimeOffset seenBefore, DateTimeOffset markedBefore, Digest? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Marks for deletion (with <paramref name="mark"/>) those of <paramref name="blobs"/> that still qualify and removes
    /// their remaining links, in one transaction. From then on uploads wait, links and manifest pushes naming them fail.
    /// Returns the marked ones.
    /// </summary>
    Task<IReadOnlyList<BlobCandidate>> MarkBlobsAsync(
        IReadOnlyList<BlobCandidate> blobs,
        DateTimeOffset seenBefore,
        DateTimeOffset markedBefore,
        DateTimeOffset mark,
        CancellationToken cancellationToken);

    /// <summary>Deletes the records of blobs whose bytes are gone, if they still carry <paramref name="mark"/>. Returns how many.</summary>
    Task<int> ForgetBlobsAsync(IReadOnlyList<BlobCandidate> blobs, DateTimeOffset mark, CancellationToken cancellationToken);

    /// <summary>
    /// For a dry run, which cannot delete to see what a deletion frees: the digests that <paramref name="manifests"/>
    /// name in their repositories (configs, layers, children) and the manifests of those repositories whose subject
    /// they are.
    /// </summary>
    Task<IReadOnlyList<Digest>> FindDependentsAsync(IReadOnlyList<ManifestCandidate> manifests, CancellationToken cancellationToken);

    /// <summary>
    /// For a dry run: what holds each of <paramref name="digests"/> whose blob record is unmarked and was last seen
    /// before <paramref name="seenBefore"/> (the others are not collectable by this run and are left out).
    /// </summary>
    Task<IReadOnlyList<BlobHolders>> FindHoldersAsync(IReadOnlyCollection<Digest> digests, DateTimeOffset seenBefore, CancellationToken cancellationToken);
}
