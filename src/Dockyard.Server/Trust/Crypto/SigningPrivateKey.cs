using System.Security.Cryptography;

namespace Dockyard.Server.Trust.Crypto;

/// <summary>An ECDSA P-256 private key that signs as cosign does (SHA-256, ASN.1 DER signature).</summary>
internal sealed class SigningPrivateKey : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    // ECDsa instances are not documented as thread-safe: signing takes the lock.
    private readonly Lock _gate = new();
    private readonly ECDsa _key;

    private SigningPrivateKey(ECDsa key)
    {
        _key = key;
        PublicKey = SignaturePublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
    }

    public SignaturePublicKey PublicKey { get; }

    /// <summary>A new random P-256 key.</summary>
    public static SigningPrivateKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>From unencrypted PKCS#8 DER; throws <see cref="KeyFormatException"/> for anything but an EC P-256 key.</summary>
    public static SigningPrivateKey ImportPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out var read);
            if (read != pkcs8.Length)
            {
                throw new KeyFormatException("the private key has trailing data.");
            }

            var curve = key.ExportParameters(includePrivateParameters: false).Curve;
            if (!curve.IsNamed || curve.Oid.Value != P256Oid)
            {
                throw new KeyFormatException("only ECDSA P-256 private keys can sign here (this key is on another curve).");
            }

            return new SigningPrivateKey(key);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new KeyFormatException("the private key is not an ECDSA P-256 PKCS#8 key.");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Unencrypted PKCS#8 DER. Callers seal or encrypt it before it leaves memory.</summary>
    public byte[] ExportPkcs8()
    {
        lock (_gate)
        {
            return _key.ExportPkcs8PrivateKey();
        }
    }

    /// <summary>ECDSA P-256 over SHA-256 of <paramref name="data"/>, ASN.1 DER encoded.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            return _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    public void Dispose() => _key.Dispose();
}
