using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Dockyard.Registry.Content;

/// <summary>
/// Manifest bodies by digest, so a pull's manifest GET answers from memory instead of opening and reading the stored
/// file (or an S3 object) every time. A body under a digest never changes, so an entry can never be stale; whether the
/// manifest may be served at all (it still exists in the repository, the tag still points at it) is decided by the
/// index before the cache is asked, so a deleted manifest is never served from here. Entries are still dropped when
/// their manifest is deleted, to give the memory back early.
/// Bounded by bytes (<see cref="RegistryOptions.ManifestCacheBytes"/>): two generations, each holding up to half of it.
/// New bodies go into the current one; when it is full it becomes the previous one and the old previous one is
/// dropped whole; a hit in the previous generation moves the body to the current one. So what was read within the last
/// generation stays, without recency bookkeeping on every hit. Shared-nothing: each process (replica) has its own.
/// </summary>
public sealed class ManifestBodyCache
{
    private readonly long _generationBytes;
    private readonly int _maxEntryBytes;
    private readonly Lock _rotate = new();
    private Generation _current = new();
    private Generation _previous = new();

    public ManifestBodyCache(IOptions<RegistryOptions> options)
    {
        var capacity = Math.Max(0, options.Value.ManifestCacheBytes);
        _generationBytes = capacity / 2;
        // A single body may take at most an eighth of a generation, so one large index cannot flush the rest.
        _maxEntryBytes = (int)Math.Min(int.MaxValue, _generationBytes / 8);
    }

    /// <summary>Bytes held now (both generations); at most <see cref="RegistryOptions.ManifestCacheBytes"/>.</summary>
    public long Bytes => Volatile.Read(ref _current).Bytes + Volatile.Read(ref _previous).Bytes;

    public bool TryGet(Digest digest, out byte[] body)
    {
        var current = Volatile.Read(ref _current);
        if (current.Entries.TryGetValue(digest, out body!))
        {
            return true;
        }

        if (Volatile.Read(ref _previous).Entries.TryGetValue(digest, out body!))
        {
            Add(digest, body);
            return true;
        }

        return false;
    }

    /// <summary>Remembers <paramref name="body"/>, the complete stored bytes of <paramref name="digest"/>; the caller must not change the array.</summary>
    public void Add(Digest digest, byte[] body)
    {
        if (body.Length > _maxEntryBytes)
        {
            return;
        }

        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current.Reserve(body.Length, _generationBytes))
            {
                if (!current.Entries.TryAdd(digest, body))
                {
                    current.Release(body.Length);
                }

                return;
            }

            lock (_rotate)
            {
                if (ReferenceEquals(current, _current))
                {
                    _previous = current;
                    Volatile.Write(ref _current, new Generation());
                }
            }
        }
    }

    /// <summary>Forgets <paramref name="digest"/> (its manifest was deleted).</summary>
    public void Remove(Digest digest)
    {
        foreach (var generation in new[] { Volatile.Read(ref _current), Volatile.Read(ref _previous) })
        {
            if (generation.Entries.TryRemove(digest, out var body))
            {
                generation.Release(body.Length);
            }
        }
    }

    private sealed class Generation
    {
        private long _bytes;

        public ConcurrentDictionary<Digest, byte[]> Entries { get; } = new();

        public long Bytes => Volatile.Read(ref _bytes);

        public bool Reserve(int length, long limit)
        {
            if (Interlocked.Add(ref _bytes, length) <= limit)
            {
                return true;
            }

            Interlocked.Add(ref _bytes, -length);
            return false;
        }

        public void Release(int length) => Interlocked.Add(ref _bytes, -length);
    }
}
