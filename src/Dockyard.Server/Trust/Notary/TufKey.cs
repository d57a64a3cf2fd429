using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Dockyard.Server.Trust.Notary;

/// <summary>
/// A public key as TUF metadata lists it: <c>{"keytype","keyval":{"public"}}</c> under its key id. Notary's types:
/// <c>ecdsa</c> (public = base64 SubjectPublicKeyInfo DER) and <c>ecdsa-x509</c> (public = base64 of a PEM
/// certificate); others (ed25519, rsa) are kept without a key so their signatures count as unverified.
/// </summary>
internal sealed record TufKey(string Id, string KeyType, byte[]? Spki)
{
    /// <summary>Dockyard's key fingerprint (<c>sha256:</c> hex of the SPKI DER, as registered keys have it); null without a usable key.</summary>
    public string? Fingerprint => Spki is null ? null : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Spki));

    public static TufKey Parse(string id, JsonElement key)
    {
        if (key.ValueKind != JsonValueKind.Object)
        {
            return new TufKey(id, string.Empty, null);
        }

        var type = key.TryGetProperty("keytype", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
        if (!key.TryGetProperty("keyval", out var value) || value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("public", out var pub) || pub.ValueKind != JsonValueKind.String || !pub.TryGetBytesFromBase64(out var bytes))
        {
            return new TufKey(id, type, null);
        }

        try
        {
            switch (type)
            {
                case "ecdsa":
                    using (var ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportSubjectPublicKeyInfo(bytes, out _);
                        return new TufKey(id, type, ecdsa.ExportSubjectPublicKeyInfo());
                    }

                case "ecdsa-x509":
                    using (var certificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(bytes)))
                    using (var ecdsa = certificate.GetECDsaPublicKey())
                    {
                        return new TufKey(id, type, ecdsa?.ExportSubjectPublicKeyInfo());
                    }

                default:
                    return new TufKey(id, type, null);
            }
        }
        catch (CryptographicException)
        {
            return new TufKey(id, type, null);
        }
    }

    /// <summary>Verifies an ECDSA/SHA-256 signature (notary's raw r||s, or ASN.1 DER as newer notary also writes) over <paramref name="message"/>.</summary>
    public bool Verify(byte[] message, byte[] signature)
    {
        if (Spki is null)
        {
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(Spki, out _);
            var fieldBytes = (ecdsa.KeySize + 7) / 8;
            var format = signature.Length == 2 * fieldBytes ? DSASignatureFormat.IeeeP1363FixedFieldConcatenation : DSASignatureFormat.Rfc3279DerSequence;
            // Notary hashes with SHA-256 whatever the curve.
            return ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, format);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
