namespace Dockyard.Server.Trust.Crypto;

/// <summary>An ECDSA P-256 private key that signs as cosign does (SHA-256, ASN.1 DER signature).</summary>
internal sealed class SigningPrivateKey : IDisposable
{
    private SigningPrivateKey()
    {
        throw new NotImplementedException();
    }

    public SignaturePublicKey PublicKey => throw new NotImplementedException();

    /// <summary>A new random P-256 key.</summary>
    public static SigningPrivateKey Generate() => throw new NotImplementedException();

    /// <summary>From unencrypted PKCS#8 DER; throws <see cref="KeyFormatException"/> for anything but an EC P-256 key.</summary>
    public static SigningPrivateKey ImportPkcs8(ReadOnlySpan<byte> pkcs8) => throw new NotImplementedException();

    /// <summary>Unencrypted PKCS#8 DER. Callers seal or encrypt it before it leaves memory.</summary>
    public byte[] ExportPkcs8() => throw new NotImplementedException();

    /// <summary>ECDSA P-256 over SHA-256 of <paramref name="data"/>, ASN.1 DER encoded.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
