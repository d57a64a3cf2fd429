namespace Dockyard.Server.Trust.Crypto;

/// <summary>
/// cosign's encrypted private key PEM: PKCS#8 DER sealed with NaCl secretbox under scrypt(passphrase), as JSON inside a
/// PEM block. Written as <c>ENCRYPTED COSIGN PRIVATE KEY</c> with scrypt N=32768, r=8, p=1 — the only form Debian's
/// skopeo 1.9.3 / podman 4.3 read; read in both the <c>COSIGN</c> and <c>SIGSTORE</c> types with N of 2^15–2^17.
/// </summary>
internal static class EncryptedCosignKey
{
    public const string CosignPemType = "ENCRYPTED COSIGN PRIVATE KEY";
    public const string SigstorePemType = "ENCRYPTED SIGSTORE PRIVATE KEY";

    /// <summary>The PEM text (COSIGN type, legacy scrypt parameters) of <paramref name="key"/> sealed under <paramref name="passphrase"/>.</summary>
    public static string Encrypt(SigningPrivateKey key, ReadOnlySpan<byte> passphrase) => throw new NotImplementedException();

    /// <summary>
    /// Opens an encrypted key PEM. Throws <see cref="KeyFormatException"/>: unknown PEM type, unsupported KDF or
    /// parameters, malformed JSON, or "wrong passphrase (or the key file was altered)".
    /// </summary>
    public static SigningPrivateKey Decrypt(string pem, ReadOnlySpan<byte> passphrase) => throw new NotImplementedException();
}
