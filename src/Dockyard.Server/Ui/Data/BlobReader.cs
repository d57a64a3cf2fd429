using Dockyard.Registry;
using Dockyard.Registry.Storage;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// Reads small blobs (manifests, image configs) straight from storage for display, with a size cap. Not through
/// <c>ManifestService</c>: looking at a manifest in the UI is not a pull (no pull event, no audit entry).
/// </summary>
internal sealed class BlobReader(IStorageDriver storage)
{
    /// <summary>The bytes of <paramref name="digest"/>, or null when missing or larger than <paramref name="maxBytes"/>.</summary>
    public async Task<byte[]?> ReadAsync(Digest digest, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await storage.OpenReadAsync(StoragePaths.Blob(digest), 0, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        var buffer = new byte[Math.Min(maxBytes + 1, 64 * 1024)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                return buffer[..total];
            }

            total += read;
        }
    }
}
