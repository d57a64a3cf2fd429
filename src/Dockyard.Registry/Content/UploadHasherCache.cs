using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Dockyard.Registry.Content;

/// <summary>
/// Keeps the running SHA-256 of active uploads so each chunk is hashed once, as it streams in.
/// A hasher is valid only for the exact byte offset it has consumed; when it is missing (restart,
/// another replica took the previous chunk) or stale, the caller re-hashes the stored prefix.
/// </summary>
internal sealed class UploadHasherCache
{
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<string, (IncrementalHash Hasher, long Offset)> _entries = new(StringComparer.Ordinal);

    /// <summary>Takes ownership of the cached hasher when it matches <paramref name="offset"/>; null otherwise.</summary>
    public IncrementalHash? Take(string uploadId, long offset)
    {
        if (!_entries.TryRemove(uploadId, out var entry))
        {
            return null;
        }

        if (entry.Offset == offset)
        {
            return entry.Hasher;
        }

        entry.Hasher.Dispose();
        return null;
    }

    public void Put(string uploadId, IncrementalHash hasher, long offset)
    {
        if (_entries.Count >= MaxEntries)
        {
            // Abandoned uploads must not grow memory without bound; a dropped hasher only costs a re-hash.
            hasher.Dispose();
            return;
        }

        if (!_entries.TryAdd(uploadId, (hasher, offset)))
        {
            hasher.Dispose();
        }
    }

    public void Remove(string uploadId)
    {
        if (_entries.TryRemove(uploadId, out var entry))
        {
            entry.Hasher.Dispose();
        }
    }
}
