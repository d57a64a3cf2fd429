using System.Collections.Concurrent;

namespace Dockyard.Registry.Content;

/// <summary>
/// Manifest bodies by digest, in memory, bounded by <see cref="RegistryOptions.ManifestCacheBytes"/>. A body never
/// changes for its digest, so an entry never goes stale; whether a repository still has the manifest is decided by the
/// index before the cache is asked (a deleted manifest 404s on every replica without any cache being told). Each
/// process keeps its own (nothing shared between replicas). Eviction is CLOCK (second chance): a hit only sets a flag,
/// so reads take no lock.
/// </summary>
public sealed class ManifestBodyCache
{
    private readonly long _capacity;
    private readonly long _maxEntryBytes;
    private readonly ConcurrentDictionary<Digest, Entry> _entries = new();
    private readonly ConcurrentQueue<Entry> _clock = new();
    private readonly Lock _evicting = new();
    private long _bytes;

    /// <param name="capacityBytes">Total body bytes kept; 0 disables the cache.</param>
    public ManifestBodyCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        _capacity = capacityBytes;
        // One huge index must not flush every other entry.
        _maxEntryBytes = capacityBytes / 8;
    }

    /// <summary>Bytes held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public int Count => _entries.Count;

    public byte[]? TryGet(Digest digest)
    {
        if (!_entries.TryGetValue(digest, out var entry))
        {
            return null;
        }

        entry.Used = true;
        return entry.Body;
    }

    /// <summary>Keeps <paramref name="body"/> (which must be exactly the bytes of <paramref name="digest"/>; the caller verified them).</summary>
    public void Add(Digest digest, byte[] body)
    {
        if (body.Length == 0 || body.Length > _maxEntryBytes)
        {
            return;
        }

        var entry = new Entry(digest, body);
        if (!_entries.TryAdd(digest, entry))
        {
            return;
        }

        _clock.Enqueue(entry);
        if (Interlocked.Add(ref _bytes, body.Length) > _capacity)
        {
            Evict();
        }
    }

    /// <summary>Drops the body of a deleted manifest (memory only: correctness never depends on it).</summary>
    public void Remove(Digest digest)
    {
        if (_entries.TryRemove(digest, out var entry))
        {
            Interlocked.Add(ref _bytes, -entry.Body.Length);
        }
    }

    private void Evict()
    {
        lock (_evicting)
        {
            // Bounded: every entry gets at most one second chance per pass, so two passes always free enough.
            var budget = (_clock.Count * 2) + 1;
            while (Interlocked.Read(ref _bytes) > _capacity && budget-- > 0 && _clock.TryDequeue(out var entry))
            {
                if (!_entries.TryGetValue(entry.Digest, out var current) || !ReferenceEquals(current, entry))
                {
                    continue; // removed (or removed and added again: that newer entry has its own place in the queue)
                }

                if (entry.Used)
                {
                    entry.Used = false;
                    _clock.Enqueue(entry);
                    continue;
                }

                if (_entries.TryRemove(new KeyValuePair<Digest, Entry>(entry.Digest, entry)))
                {
                    Interlocked.Add(ref _bytes, -entry.Body.Length);
                }
            }
        }
    }

    private sealed class Entry(Digest digest, byte[] body)
    {
        public Digest Digest { get; } = digest;

        public byte[] Body { get; } = body;

        public volatile bool Used;
    }
}
