using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Server.Tokens;

/// <summary>
/// Tokens that passed <see cref="RegistryTokenValidator"/>, so that a client's repeat requests with the same bearer
/// token skip the ES256 verification (the most expensive step of an authenticated manifest GET). Keyed by the first
/// 128 bits of the token's SHA-256, not the token itself: the bearer secret is not kept in a long-lived table, and
/// finding another token with the same key is a second-preimage problem. An entry lives until the token expires
/// (plus the validator's clock skew); expiry is re-checked on every hit. Bounded: when full, expired entries are
/// swept, and if that frees too little the table is emptied (the next requests simply verify again).
/// </summary>
internal sealed class RegistryTokenCache(TimeProvider time)
{
    /// <summary>At most this many tokens are remembered (~200 bytes each plus the claims, shared with requests).</summary>
    public const int Capacity = 10_000;

    /// <summary>Tokens longer than this are not cached (the issuer's are far shorter); they are verified every time.</summary>
    private const int MaxTokenLength = 8 * 1024;

    private readonly ConcurrentDictionary<UInt128, RegistryTokenValidation> _entries = new();
    private readonly Lock _sweep = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(string token, out RegistryTokenValidation validation)
    {
        if (token.Length <= MaxTokenLength
            && _entries.TryGetValue(KeyOf(token), out var cached)
            && time.GetUtcNow() < cached.Claims!.ExpiresAt + RegistryTokenValidator.ClockSkew)
        {
            validation = cached;
            return true;
        }

        validation = null!;
        return false;
    }

    /// <summary>Remembers a successful validation.</summary>
    public void Add(string token, RegistryTokenValidation validation)
    {
        if (validation.Claims is null || token.Length > MaxTokenLength)
        {
            return;
        }

        if (Count >= Capacity)
        {
            Sweep();
        }

        if (_entries.TryAdd(KeyOf(token), validation))
        {
            Interlocked.Increment(ref _count);
        }
    }

    private void Sweep()
    {
        lock (_sweep)
        {
            if (Count < Capacity)
            {
                return;
            }

            var now = time.GetUtcNow();
            foreach (var (key, entry) in _entries)
            {
                if (now >= entry.Claims!.ExpiresAt + RegistryTokenValidator.ClockSkew && _entries.TryRemove(key, out _))
                {
                    Interlocked.Decrement(ref _count);
                }
            }

            if (Count >= Capacity * 9 / 10)
            {
                // Mostly live tokens (many clients at once): start over rather than track recency on every hit.
                _entries.Clear();
                Volatile.Write(ref _count, 0);
            }
        }
    }

    private static UInt128 KeyOf(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(token.Length);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(token, buffer);
        SHA256.HashData(buffer[..written], hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
