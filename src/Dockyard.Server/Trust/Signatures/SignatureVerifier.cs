using Dockyard.Registry;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Trust.Keys;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// Turns one signature's bytes into a <see cref="SignatureVerdict"/>: a cosign simple-signing payload with its base64
/// signature, or a sigstore bundle. Never throws for bad signature data: every defect is a verdict with a problem.
/// A signature that verifies under a revoked or expired key is invalid, with the key named.
/// </summary>
internal sealed class SignatureVerifier(TimeProvider time, IOptions<SignatureOptions> options)
{
    public const string NoKey = "no registered key verifies this signature";

    /// <summary>Verifies a simple-signing payload (the exact blob bytes) against the base64 signature of its layer annotation.</summary>
    public SignatureVerdict VerifySimpleSigning(
        string kind, string source, RepositoryName repository, Digest digest, byte[] payload, string? signatureBase64, KeyCandidates keys, DateTimeOffset? pushedAt)
    {
        SignatureVerdict Invalid(string problem, DateTimeOffset? at = null) => new(kind, source, false, problem, null, null, null, null, at ?? pushedAt);

        if (string.IsNullOrEmpty(signatureBase64))
        {
            return Invalid($"the layer has no {SimpleSigningPayload.SignatureAnnotation} annotation");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureBase64);
        }
        catch (FormatException)
        {
            return Invalid("the signature annotation is not base64");
        }

        if (!SimpleSigningPayload.TryParse(payload, out var parsed, out var error))
        {
            return Invalid($"the payload is not a simple-signing payload: {error}");
        }

        var signedAt = parsed.Timestamp ?? pushedAt;
        if (!string.Equals(parsed.ManifestDigest, digest.Value, StringComparison.Ordinal))
        {
            return Invalid($"the signature signs another digest ({parsed.ManifestDigest})", signedAt);
        }

        if (!NamesRepository(parsed.DockerReference, repository))
        {
            return Invalid($"the signature was made for another repository ({parsed.DockerReference})", signedAt);
        }

        foreach (var key in keys.For(signature, repository.Namespace, options.Value.MaxKeysTried))
        {
            if (key.PublicKey.Verify(payload, signature))
            {
                return WithKey(kind, source, key, signedAt);
            }
        }

        return Invalid(NoKey, signedAt);
    }

    /// <summary>Verifies a sigstore bundle (the referrer's layer) that must cover <paramref name="digest"/>.</summary>
    public SignatureVerdict VerifyBundle(string source, RepositoryName repository, Digest digest, byte[] json, KeyCandidates keys, DateTimeOffset? pushedAt)
    {
        SignatureVerdict Invalid(string problem) => new(SignatureKinds.Bundle, source, false, problem, null, null, null, null, pushedAt);

        if (!SigstoreBundle.TryParse(json, out var bundle, out var error))
        {
            return Invalid($"the sigstore bundle cannot be read: {error}");
        }

        if (!bundle.SubjectDigests.Contains(digest.Value, StringComparer.Ordinal))
        {
            return Invalid($"the bundle signs another digest ({string.Join(", ", bundle.SubjectDigests)})");
        }

        foreach (var key in keys.All(repository.Namespace, options.Value.MaxKeysTried))
        {
            if (bundle.VerifyWith(key.PublicKey))
            {
                return WithKey(SignatureKinds.Bundle, source, key, pushedAt);
            }
        }

        return Invalid(NoKey);
    }

    /// <summary>
    /// True when a payload's <c>docker-reference</c> names <paramref name="repository"/>. cosign writes the repository
    /// (<c>host/team/app</c>), containers/image the full reference (<c>host/team/app:tag</c> or <c>…@sha256:…</c>); the
    /// registry host is whatever address the signer used, so only the path after it is compared.
    /// </summary>
    public static bool NamesRepository(string reference, RepositoryName repository)
    {
        var path = reference;
        var at = path.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            path = path[..at];
        }

        var lastSlash = path.LastIndexOf('/');
        var colon = path.LastIndexOf(':');
        if (colon > lastSlash)
        {
            path = path[..colon];
        }

        var firstSlash = path.IndexOf('/', StringComparison.Ordinal);
        if (firstSlash > 0 && IsHost(path.AsSpan(0, firstSlash)))
        {
            path = path[(firstSlash + 1)..];
        }

        return string.Equals(path, repository.Value, StringComparison.Ordinal);
    }

    /// <summary>Docker's rule: a first component with a dot or a port, or <c>localhost</c>, is a registry host.</summary>
    private static bool IsHost(ReadOnlySpan<char> component) =>
        component.Contains('.') || component.Contains(':') || component.SequenceEqual("localhost");

    private SignatureVerdict WithKey(string kind, string source, TrustedKey key, DateTimeOffset? signedAt)
    {
        var problem = key.Problem(time.GetUtcNow());
        return new SignatureVerdict(kind, source, problem is null, problem, key.PublicKey.Fingerprint, key.Name, key.Organization, key.Team, signedAt);
    }
}
