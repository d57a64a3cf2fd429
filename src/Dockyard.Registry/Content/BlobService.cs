using Dockyard.Registry.Errors;
using Dockyard.Registry.Events;
using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Metadata;
using Dockyard.Registry.Policies;
using Dockyard.Registry.Storage;
using Microsoft.Extensions.Options;

namespace Dockyard.Registry.Content;

/// <summary>Blobs as seen through a repository: existence, reading, cross-repository mount, delete.</summary>
public sealed class BlobService(
    IStorageDriver storage,
    IBlobIndex index,
    IRegistryEventSink events,
    TimeProvider time,
    IRegistryWritePolicy policy,
    IOptions<GarbageCollectionOptions> collection)
{
    // A blob a client has just been told exists stays for at least half the grace period (see GetSizeAsync).
    private readonly TimeSpan _refreshAfter = collection.Value.Grace / 2;

    /// <summary>
    /// The blob's size when the repository holds it; null otherwise. One index read; when that shows the blob was last
    /// seen more than half the grace period ago, also one conditional write that keeps it from garbage collection.
    /// </summary>
    /// <remarks>
    /// Clients HEAD a layer, skip uploading it when it exists, and push a manifest naming it later. Without the refresh
    /// an unreferenced, old blob could be collected in between and the manifest fail with MANIFEST_BLOB_UNKNOWN. The
    /// refresh loses to a collection that has already marked the blob; then the blob is reported missing, as it will be
    /// once the collection finishes, and the client uploads it again.
    /// </remarks>
    public async Task<long?> GetSizeAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        if (await index.FindBlobAsync(repository, digest, cancellationToken) is not { } blob)
        {
            return null;
        }

        var stale = _refreshAfter > TimeSpan.Zero && (blob.LastSeenAt is not { } seen || seen < time.GetUtcNow() - _refreshAfter);
        if (stale && !await index.RefreshBlobAsync(repository, digest, blob.Size, cancellationToken))
        {
            return null;
        }

        return blob.Size;
    }

    /// <summary>
    /// Opens, at <paramref name="offset"/>, the bytes of a blob <see cref="GetSizeAsync"/> found; throws BLOB_UNKNOWN when
    /// they are gone since (collected in between).
    /// </summary>
    public async Task<Stream> OpenAsync(Digest digest, long offset, CancellationToken cancellationToken) =>
        await storage.OpenReadAsync(StoragePaths.Blob(digest), offset, cancellationToken) ?? throw Unknown(digest);

    /// <summary>
    /// Links a blob that <paramref name="from"/> holds into <paramref name="to"/> without copying bytes.
    /// Returns null when the source does not hold it (the caller falls back to an upload).
    /// </summary>
    public async Task<Descriptor?> MountAsync(RepositoryName from, RepositoryName to, Digest digest, CancellationToken cancellationToken)
    {
        var size = (await index.FindBlobAsync(from, digest, cancellationToken))?.Size;
        if (size is null || await storage.StatAsync(StoragePaths.Blob(digest), cancellationToken) is null)
        {
            return null;
        }

        await using (await policy.AdmitContentAsync(to, digest, size.Value, cancellationToken))
        {
            if (!await index.LinkBlobAsync(to, digest, size.Value, cancellationToken))
            {
                // Being garbage-collected right now: the client uploads it instead.
                return null;
            }
        }

        events.Publish(new BlobStored { Repository = to, OccurredAt = time.GetUtcNow(), Digest = digest, Size = size.Value, MountedFrom = from });
        return new Descriptor { MediaType = MediaTypes.OctetStream, Digest = digest, Size = size.Value };
    }

    /// <summary>Removes the blob from the repository. Bytes are reclaimed by garbage collection once nothing references them.</summary>
    public async Task DeleteAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var deleted = new BlobDeleted { Repository = repository, OccurredAt = time.GetUtcNow(), Digest = digest };
        if (!await index.UnlinkBlobAsync(repository, digest, deleted, cancellationToken))
        {
            throw Unknown(digest);
        }

        events.PublishRecorded(deleted);
    }

    private static RegistryException Unknown(Digest digest) =>
        new(RegistryErrorCode.BlobUnknown, "Blob unknown to this repository.", new { digest = digest.Value });
}
