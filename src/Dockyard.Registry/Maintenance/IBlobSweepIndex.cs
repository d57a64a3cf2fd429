namespace Dockyard.Registry.Maintenance;

/// <summary>
/// Garbage collection's last phase, mark and sweep of blob records: records nothing references are marked (the
/// conditional write that races the content side's <em>last seen</em> updates), their bytes deleted, then the records forgotten.
/// </summary>
public interface IBlobSweepIndex
{
    /// <summary>Creates blob records for linked blobs and manifests that have none (data indexed before records existed). Returns how many.</summary>
    Task<int> AdoptUntrackedBlobsAsync(CancellationToken cancellationToken);

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
}
