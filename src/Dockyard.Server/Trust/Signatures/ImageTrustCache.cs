using System.Collections.Concurrent;
using Dockyard.Registry;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// Verdicts per (repository, digest), bounded (<see cref="SignatureOptions.CacheEntries"/>, least recently used go
/// first) and short-lived (<see cref="SignatureOptions.CacheTtl"/>). An entry is served only under the key-set version it
/// was computed with, and only while its repository's generation is unchanged: a push or delete that may add or remove a
/// signature in a repository bumps the generation (<see cref="SignatureCacheInvalidator"/>). The generation is read before
/// verifying, so a signature pushed while a verdict is being computed makes that verdict stale, never current.
/// </summary>
internal sealed class ImageTrustCache(TimeProvider time, IOptions<SignatureOptions> options) : IDisposable
{
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.CacheEntries), CompactionPercentage = 0.1 });
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    /// <summary>The repository's current generation; read it before computing a verdict to store.</summary>
    public long Generation(RepositoryName repository) => _generations.GetValueOrDefault(repository.Value);

    public bool TryGet(RepositoryName repository, Digest digest, long keysVersion, out ImageTrust trust)
    {
        if (_entries.TryGetValue(new Key(repository.Value, digest.Value), out Entry? entry)
            && entry is not null
            && entry.KeysVersion == keysVersion
            && entry.Generation == Generation(repository)
            && entry.ExpiresAt > time.GetUtcNow())
        {
            trust = entry.Trust;
            return true;
        }

        trust = null!;
        return false;
    }

    /// <summary>
    /// Stores a verdict until the TTL, or until <paramref name="validUntil"/> when earlier: the first expiry of a key a
    /// valid signature depends on, which changes no key-set version but must end that signature's validity on time.
    /// </summary>
    public void Set(RepositoryName repository, Digest digest, long keysVersion, long generation, ImageTrust trust, DateTimeOffset? validUntil)
    {
        var ttl = options.Value.CacheTtl;
        var expiresAt = time.GetUtcNow() + ttl;
        if (validUntil < expiresAt)
        {
            expiresAt = validUntil.Value;
        }

        using var entry = _entries.CreateEntry(new Key(repository.Value, digest.Value));
        entry.Value = new Entry(trust, keysVersion, generation, expiresAt);
        entry.Size = 1;
        entry.AbsoluteExpirationRelativeToNow = ttl;
    }

    /// <summary>Every verdict of the repository becomes stale (a signature manifest or referrer may have come or gone).</summary>
    public void Invalidate(RepositoryName repository) => _generations.AddOrUpdate(repository.Value, 1, (_, generation) => generation + 1);

    public void Dispose() => _entries.Dispose();

    private sealed record Key(string Repository, string Digest);

    private sealed record Entry(ImageTrust Trust, long KeysVersion, long Generation, DateTimeOffset ExpiresAt);
}
