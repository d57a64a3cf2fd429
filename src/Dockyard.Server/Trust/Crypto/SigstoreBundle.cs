using System.Diagnostics.CodeAnalysis;

namespace Dockyard.Server.Trust.Crypto;

/// <summary>
/// A sigstore bundle (v0.1–v0.3, <c>application/vnd.dev.sigstore.bundle*+json</c>) as cosign 3 attaches it by
/// referrer: either a <c>messageSignature</c> (signature over the artifact, named by its digest) or a DSSE envelope
/// whose in-toto statement names the artifact's digest as a subject. Verification with a key is offline: transparency
/// log entries are not checked (Dockyard runs behind firewalls; documented).
/// </summary>
internal sealed class SigstoreBundle
{
    private SigstoreBundle()
    {
        throw new NotImplementedException();
    }

    /// <summary>The public-key hint of <c>verificationMaterial.publicKey.hint</c>, if any.</summary>
    public string? KeyHint => throw new NotImplementedException();

    /// <summary>Digests (<c>sha256:&lt;hex&gt;</c>) the bundle's signature covers.</summary>
    public IReadOnlyList<string> SubjectDigests => throw new NotImplementedException();

    /// <summary>Parses the bundle JSON; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SigstoreBundle? bundle, [NotNullWhen(false)] out string? error) =>
        throw new NotImplementedException();

    /// <summary>True when the bundle's signature verifies under <paramref name="key"/> (DSSE: over the pre-authentication encoding).</summary>
    public bool VerifyWith(SignaturePublicKey key) => throw new NotImplementedException();
}
