namespace Dockyard.Server.Trust.Crypto;

/// <summary>
/// A public key that verifies image signatures: ECDSA P-256 / P-384 (ASN.1 DER signatures over SHA-256 / SHA-384, as
/// cosign and containers/image write them), RSA of at least 2048 bits (PKCS#1 v1.5, SHA-256) and Ed25519.
/// Read from a PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo). Immutable and safe to share between threads.
/// </summary>
internal sealed class SignaturePublicKey
{
    private SignaturePublicKey()
    {
        throw new NotImplementedException();
    }

    /// <summary><c>ecdsa-p256</c>, <c>ecdsa-p384</c>, <c>rsa-&lt;bits&gt;</c> or <c>ed25519</c>.</summary>
    public string Algorithm => throw new NotImplementedException();

    /// <summary><c>sha256:</c> + lowercase hex of SHA-256 over the DER SubjectPublicKeyInfo: the key's identity everywhere.</summary>
    public string Fingerprint => throw new NotImplementedException();

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => throw new NotImplementedException();

    /// <summary>Reads one PEM <c>PUBLIC KEY</c> block; throws <see cref="KeyFormatException"/> saying what is wrong (PEM type, algorithm, curve, RSA size).</summary>
    public static SignaturePublicKey Parse(string pem) => throw new NotImplementedException();

    /// <summary>From DER SubjectPublicKeyInfo; same checks as <see cref="Parse"/>.</summary>
    public static SignaturePublicKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki) => throw new NotImplementedException();

    /// <summary>The key as a PEM <c>PUBLIC KEY</c> block.</summary>
    public string ToPem() => throw new NotImplementedException();

    /// <summary>True when <paramref name="signature"/> (DER for ECDSA) signs <paramref name="data"/>. Malformed signatures are false, never an exception.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => throw new NotImplementedException();

    /// <summary>
    /// True when <paramref name="signature"/> signs a message whose SHA-256 is <paramref name="sha256"/> (sigstore bundles'
    /// <c>messageSignature</c> sign the artifact, which only its digest names). Always false for Ed25519, which cannot verify a pre-hashed message.
    /// </summary>
    public bool VerifySha256Digest(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature) => throw new NotImplementedException();
}
