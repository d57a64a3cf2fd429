using Dockyard.Registry.Errors;
using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Metadata;

namespace Dockyard.Registry.Content;

/// <summary>
/// The content side of the garbage-collection protocol: reserve a digest before its bytes are written to (or relied on
/// at) the blob path. While a collection is deleting the same content, wait for it to finish (it deletes the bytes
/// before the record), so bytes written afterwards are never deleted by it.
/// </summary>
internal static class BlobReservation
{
    public static async Task ReserveAsync(IBlobIndex index, TimeProvider time, Digest digest, long size, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + GarbageCollectionProtocol.ReservationTimeout;
        while (!await index.ReserveBlobAsync(digest, size, time.GetUtcNow() - GarbageCollectionProtocol.AbandonedAfter, cancellationToken))
        {
            if (time.GetUtcNow() >= deadline)
            {
                throw Collecting(digest);
            }

            await Task.Delay(GarbageCollectionProtocol.ReservationPoll, time, cancellationToken);
        }
    }

    /// <summary>The content was being garbage-collected at the moment it was needed; the client retries.</summary>
    public static RegistryException Collecting(Digest digest) =>
        new(RegistryErrorCode.TooManyRequests, "Garbage collection is deleting this content right now; retry the request.", new { digest = digest.Value }, statusOverride: 503);
}
