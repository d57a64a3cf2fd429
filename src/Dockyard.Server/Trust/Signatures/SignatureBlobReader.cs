using Dockyard.Registry;
using Dockyard.Registry.Storage;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// Reads signature manifests, payloads and bundles straight from storage with a size cap. Not through the content
/// services: verifying a signature is not a pull (no pull event, no audit entry), and a blob past the cap is never read
/// whole. The caller found the digest through the repository's index, so it belongs to the repository.
/// </summary>
internal sealed class SignatureBlobReader(IStorageDriver storage)
{
    /// <summary>The blob's bytes; <see cref="BlobRead.TooLarge"/> past <paramref name="maxBytes"/>, <see cref="BlobRead.Missing"/> when absent.</summary>
    public async Task<BlobRead> ReadAsync(Digest digest, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await storage.OpenReadAsync(StoragePaths.Blob(digest), 0, cancellationToken);
        if (stream is null)
        {
            return BlobRead.Missing;
        }

        var buffer = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    return BlobRead.TooLarge;
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                return new BlobRead(buffer[..total], null);
            }

            total += read;
        }
    }
}
