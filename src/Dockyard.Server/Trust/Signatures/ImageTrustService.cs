using System.Collections.Concurrent;
using Dockyard.Registry;
using Dockyard.Server.Trust.Keys;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// The signatures of a manifest, verified, from every <see cref="ISignatureSource"/>; cached per (repository, digest,
/// key-set version) and dropped when a signature for the digest is pushed or deleted, so verification runs once per change.
/// Not authorized: callers decide who may see the repository first.
/// </summary>
/// <remarks>
/// Every entry also expires after <see cref="SignatureOptions.CacheTtl"/> (30 s by default): other replicas' pushes and
/// notary servers raise no event here. A source that fails (a notary server down) is logged and its verdicts are
/// missing from an answer that is then not cached, so the next request asks again.
/// </remarks>
internal sealed partial class ImageTrustService(
    IEnumerable<ISignatureSource> sources,
    TrustKeyRing keyRing,
    ImageTrustCache cache,
    IOptions<SignatureOptions> options,
    ILogger<ImageTrustService> logger)
{
    private readonly ISignatureSource[] _sources = [.. sources];

    public async ValueTask<ImageTrust> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var keys = await keyRing.GetAsync(cancellationToken);
        if (cache.TryGet(repository, digest, keys.Version, out var cached))
        {
            return cached;
        }

        var generation = cache.Generation(repository);
        var verdicts = new List<SignatureVerdict>();
        var complete = true;
        foreach (var source in _sources)
        {
            try
            {
                verdicts.AddRange(await source.FindAsync(repository, digest, keys, cancellationToken));
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                complete = false;
                LogSourceFailed(error, source.GetType().Name, repository.Value, digest.Value);
            }
        }

        var state = verdicts.Count == 0 ? SignatureState.Unsigned
            : verdicts.Any(v => v.Valid) ? SignatureState.Signed
            : SignatureState.Invalid;
        var trust = new ImageTrust(repository.Value, digest.Value, state, verdicts);
        if (complete)
        {
            cache.Set(repository, digest, keys.Version, generation, trust, FirstKeyExpiry(verdicts, keys));
        }

        return trust;
    }

    /// <summary>
    /// Verdicts of many digests of one repository (a tag list), at most <see cref="SignatureOptions.ListConcurrency"/>
    /// verified at once: cached ones answer at once, cold ones do not run one after another.
    /// </summary>
    public async Task<IReadOnlyDictionary<Digest, ImageTrust>> GetManyAsync(RepositoryName repository, IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        var results = new ConcurrentDictionary<Digest, ImageTrust>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.ListConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(digests.Distinct(), parallel, async (digest, ct) => results[digest] = await GetAsync(repository, digest, ct));
        return results;
    }

    /// <summary>The earliest expiry among the keys of valid signatures: past it, the verdict is no longer true.</summary>
    private static DateTimeOffset? FirstKeyExpiry(List<SignatureVerdict> verdicts, TrustKeySnapshot keys)
    {
        DateTimeOffset? first = null;
        foreach (var verdict in verdicts)
        {
            if (verdict.Valid && verdict.KeyFingerprint is { } fingerprint
                && keys.ByFingerprint.TryGetValue(fingerprint, out var key) && key.ExpiresAt is { } expires
                && (first is null || expires < first))
            {
                first = expires;
            }
        }

        return first;
    }

    [LoggerMessage(EventId = 5400, Level = LogLevel.Warning, Message = "Signature source {Source} failed for {Repository}@{Digest}; the answer lacks its signatures and is not cached")]
    private partial void LogSourceFailed(Exception error, string source, string repository, string digest);
}
