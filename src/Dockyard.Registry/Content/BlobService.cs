using Dockyard.Registry.Errors;
using Dockyard.Registry.Events;
using Dockyard.Registry.Metadata;
using Dockyard.Registry.Policies;
using Dockyard.Registry.Storage;

namespace Dockyard.Registry.Content;

/// <summary>Blobs as seen through a repository: existence, reading, cross-repository mount, delete.</summary>
public sealed class BlobService(IStorageDriver storage, IRegistryIndex index, IRegistryEventSink events, TimeProvider time, IRegistryWritePolicy policy)
{
    /// <summary>The blob's size when the repository holds it; null otherwise. Served from the index alone.</summary>
    public Task<long?> GetSizeAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        index.GetBlobSizeAsync(repository, digest, cancellationToken);

    /// <summary>Opens the blob at <paramref name="offset"/>; throws BLOB_UNKNOWN when the repository does not hold it.</summary>
    public async Task<(Stream Content, long Size)> OpenAsync(RepositoryName repository, Digest digest, long offset, CancellationToken cancellationToken)
    {
        var size = await index.GetBlobSizeAsync(repository, digest, cancellationToken) ?? throw Unknown(digest);
        var stream = await storage.OpenReadAsync(StoragePaths.Blob(digest), offset, cancellationToken) ?? throw Unknown(digest);
        return (stream, size);
    }

    /// <summary>
    /// Links a blob that <paramref name="from"/> holds into <paramref name="to"/> without copying bytes.
    /// Returns null when the source does not hold it (the caller falls back to an upload).
    /// </summary>
    public async Task<Descriptor?> MountAsync(RepositoryName from, RepositoryName to, Digest digest, CancellationToken cancellationToken)
    {
        var size = await index.GetBlobSizeAsync(from, digest, cancellationToken);
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
        if (!await index.UnlinkBlobAsync(repository, digest, cancellationToken))
        {
            throw Unknown(digest);
        }

        events.Publish(new BlobDeleted { Repository = repository, OccurredAt = time.GetUtcNow(), Digest = digest });
    }

    private static RegistryException Unknown(Digest digest) =>
        new(RegistryErrorCode.BlobUnknown, "Blob unknown to this repository.", new { digest = digest.Value });
}
