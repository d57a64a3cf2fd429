using System.Security.Cryptography;
using Dockyard.Server.Trust.Crypto;

namespace Dockyard.Server.Tests.Trust.Crypto;

public sealed class SigningPrivateKeyTests
{
    [Fact]
    public void Pkcs8_round_trip_keeps_the_key()
    {
        using var key = SigningPrivateKey.Generate();
        using var again = SigningPrivateKey.ImportPkcs8(key.ExportPkcs8());

        Assert.Equal(key.PublicKey.Fingerprint, again.PublicKey.Fingerprint);
        Assert.True(key.PublicKey.Verify("payload"u8, again.Sign("payload"u8)));
    }

    [Fact]
    public void Signatures_are_DER_that_a_plain_ECDsa_verifier_accepts()
    {
        using var key = SigningPrivateKey.Generate();
        var signature = key.Sign("payload"u8);

        Assert.Equal(0x30, signature[0]); // SEQUENCE { r INTEGER, s INTEGER }
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo.Span, out _);
        Assert.True(ecdsa.VerifyData("payload"u8, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void A_key_made_by_dotnet_imports()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key = SigningPrivateKey.ImportPkcs8(ecdsa.ExportPkcs8PrivateKey());
        Assert.Equal(SignaturePublicKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo()).Fingerprint, key.PublicKey.Fingerprint);
    }

    [Fact]
    public void Other_curves_rsa_and_garbage_are_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Contains("P-256", Assert.Throws<KeyFormatException>(() => SigningPrivateKey.ImportPkcs8(p384.ExportPkcs8PrivateKey())).Message, StringComparison.Ordinal);

        using var rsa = RSA.Create(2048);
        Assert.Throws<KeyFormatException>(() => SigningPrivateKey.ImportPkcs8(rsa.ExportPkcs8PrivateKey()));

        Assert.Throws<KeyFormatException>(() => SigningPrivateKey.ImportPkcs8(RandomNumberGenerator.GetBytes(100)));
        Assert.Throws<KeyFormatException>(() => SigningPrivateKey.ImportPkcs8([]));
    }
}
