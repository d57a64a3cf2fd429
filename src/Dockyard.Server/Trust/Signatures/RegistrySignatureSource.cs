using Dockyard.Registry;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Manifests;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Trust.Keys;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// Signatures kept in the registry beside the image, in the same repository:
/// <list type="bullet">
/// <item>cosign's tag scheme: the image manifest tagged <c>sha256-&lt;hex&gt;.sig</c>, one simple-signing layer per
/// signature (cosign 2, skopeo and podman with <c>use-sigstore-attachments</c>, Dockyard's own signing);</item>
/// <item>OCI 1.1 referrers of the digest: cosign's <c>--registry-referrers-mode=oci-1-1</c> manifests (artifact type
/// <c>application/vnd.dev.cosign.artifact.sig.v1+json</c>, the same layers) and sigstore bundle referrers (cosign 3);</item>
/// <item>the referrers tag schema <c>sha256-&lt;hex&gt;</c>, an index of referrers a client writes when a registry lacks
/// the referrers API (so images copied from such a registry keep their signatures).</item>
/// </list>
/// </summary>
internal sealed class RegistrySignatureSource(
    ITagIndex tags,
    IManifestIndex manifests,
    IReferrerIndex referrers,
    SignatureBlobReader blobs,
    SignatureVerifier verifier,
    IOptions<SignatureOptions> options) : ISignatureSource
{
    /// <summary>cosign's artifact type of a signature referrer (<c>ArtifactType("sig")</c> in cosign's oci remote package).</summary>
    public const string CosignSignatureArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json";

    /// <summary>The prefix of sigstore bundle media types (v0.1–v0.3: <c>application/vnd.dev.sigstore.bundle.v0.3+json</c>).</summary>
    public const string BundleMediaTypePrefix = "application/vnd.dev.sigstore.bundle";

    private readonly SignatureOptions _options = options.Value;
    private volatile KeyCandidates? _candidates;

    public async Task<IReadOnlyList<SignatureVerdict>> FindAsync(RepositoryName repository, Digest digest, TrustKeySnapshot keys, CancellationToken cancellationToken)
    {
        var candidates = Candidates(keys);
        var found = new Found(repository, digest, candidates, _options.MaxSignatures);

        if (await tags.ResolveTagAsync(repository, SignatureTags.Signature(digest), cancellationToken) is { } signatureManifest)
        {
            await ReadManifestAsync(found, signatureManifest, SignatureKinds.Cosign, cancellationToken);
        }

        foreach (var referrer in await referrers.ListReferrersAsync(repository, digest, null, cancellationToken))
        {
            if (IsSignatureArtifact(referrer.ArtifactType))
            {
                await ReadManifestAsync(found, referrer, SignatureKinds.Referrer, cancellationToken);
            }
        }

        if (await tags.ResolveTagAsync(repository, SignatureTags.Fallback(digest), cancellationToken) is { } fallback && MediaTypes.IsIndex(fallback.MediaType))
        {
            await ReadFallbackIndexAsync(found, fallback, cancellationToken);
        }

        return found.Verdicts;
    }

    private static bool IsSignatureArtifact(string? artifactType) =>
        artifactType is not null
        && (artifactType == CosignSignatureArtifactType || artifactType.StartsWith(BundleMediaTypePrefix, StringComparison.Ordinal));

    /// <summary>The key index of this snapshot, built once per key-set version.</summary>
    private KeyCandidates Candidates(TrustKeySnapshot keys)
    {
        var current = _candidates;
        if (current is null || current.Version != keys.Version)
        {
            current = new KeyCandidates(keys);
            _candidates = current;
        }

        return current;
    }

    private async Task ReadFallbackIndexAsync(Found found, ManifestRecord index, CancellationToken cancellationToken)
    {
        var parsed = await ParseAsync(index, cancellationToken);
        if (parsed is null)
        {
            return;
        }

        foreach (var child in parsed.Manifests)
        {
            if (IsSignatureArtifact(child.ArtifactType) && !found.Seen(child.Digest)
                && await manifests.GetManifestAsync(found.Repository, child.Digest, cancellationToken) is { } record)
            {
                await ReadManifestAsync(found, record, SignatureKinds.Referrer, cancellationToken);
            }
        }
    }

    /// <summary>Every signature layer of one signature manifest becomes one verdict.</summary>
    private async Task ReadManifestAsync(Found found, ManifestRecord record, string simpleSigningKind, CancellationToken cancellationToken)
    {
        if (!found.MarkSeen(record.Digest) || found.Full)
        {
            return;
        }

        var source = record.Digest.Value;
        var parsed = await ParseAsync(record, cancellationToken);
        if (parsed is null)
        {
            found.Add(new SignatureVerdict(simpleSigningKind, source, false, "the signature manifest cannot be read (missing, too large or malformed)", null, null, null, null, record.CreatedAt));
            return;
        }

        foreach (var layer in parsed.Layers)
        {
            if (found.Full)
            {
                return;
            }

            var isSimpleSigning = layer.MediaType == SimpleSigningPayload.MediaType;
            var isBundle = layer.MediaType.StartsWith(BundleMediaTypePrefix, StringComparison.Ordinal);
            if (!isSimpleSigning && !isBundle)
            {
                continue;
            }

            var kind = isBundle ? SignatureKinds.Bundle : simpleSigningKind;
            var blob = await blobs.ReadAsync(layer.Digest, _options.MaxPayloadBytes, cancellationToken);
            if (blob.Bytes is null)
            {
                var what = isBundle ? "the bundle" : "the payload";
                var limit = ReferenceEquals(blob, BlobRead.TooLarge) ? $" ({_options.MaxPayloadBytes / 1024} KiB)" : string.Empty;
                found.Add(new SignatureVerdict(kind, source, false, $"{what} {blob.Problem}{limit}", null, null, null, null, record.CreatedAt));
                continue;
            }

            found.Add(isBundle
                ? verifier.VerifyBundle(source, found.Repository, found.Digest, blob.Bytes, found.Keys, record.CreatedAt)
                : verifier.VerifySimpleSigning(kind, source, found.Repository, found.Digest, blob.Bytes, layer.Annotations?.GetValueOrDefault(SimpleSigningPayload.SignatureAnnotation), found.Keys, record.CreatedAt));
        }
    }

    private async Task<ParsedManifest?> ParseAsync(ManifestRecord record, CancellationToken cancellationToken)
    {
        var body = await blobs.ReadAsync(record.Digest, _options.MaxManifestBytes, cancellationToken);
        if (body.Bytes is null)
        {
            return null;
        }

        try
        {
            return ManifestParser.Parse(body.Bytes, record.MediaType);
        }
        catch (RegistryException)
        {
            return null;
        }
    }

    /// <summary>What one look-up has found so far.</summary>
    private sealed class Found(RepositoryName repository, Digest digest, KeyCandidates keys, int max)
    {
        private readonly HashSet<Digest> _seen = [];
        private readonly List<SignatureVerdict> _verdicts = [];

        public RepositoryName Repository => repository;

        public Digest Digest => digest;

        public KeyCandidates Keys => keys;

        public IReadOnlyList<SignatureVerdict> Verdicts => _verdicts;

        public bool Full => _verdicts.Count >= max;

        public bool Seen(Digest manifest) => _seen.Contains(manifest);

        public bool MarkSeen(Digest manifest) => _seen.Add(manifest);

        public void Add(SignatureVerdict verdict) => _verdicts.Add(verdict);
    }
}
