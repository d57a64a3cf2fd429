using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Trust.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Dockyard.Server.Tests.Trust.Crypto;

public sealed class SignaturePublicKeyTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("{\"critical\":{\"type\":\"cosign container image signature\"}}");

    [Fact]
    public void P256_signature_by_SigningPrivateKey_verifies_and_tampering_does_not()
    {
        using var key = SigningPrivateKey.Generate();
        var signature = key.Sign(Message);
        var publicKey = SignaturePublicKey.Parse(key.PublicKey.ToPem());

        Assert.Equal("ecdsa-p256", publicKey.Algorithm);
        Assert.True(publicKey.Verify(Message, signature));

        var tampered = (byte[])Message.Clone();
        tampered[^3] ^= 1;
        Assert.False(publicKey.Verify(tampered, signature));

        var flipped = (byte[])signature.Clone();
        flipped[^1] ^= 1;
        Assert.False(publicKey.Verify(Message, flipped));
    }

    [Fact]
    public void Malformed_signatures_are_false_never_an_exception()
    {
        using var key = SigningPrivateKey.Generate();
        var signature = key.Sign(Message);
        var publicKey = key.PublicKey;

        for (var length = 0; length < signature.Length; length++)
        {
            Assert.False(publicKey.Verify(Message, signature.AsSpan(0, length)), $"truncated to {length} bytes");
        }

        Assert.False(publicKey.Verify(Message, [.. signature, 0]));
        Assert.False(publicKey.Verify(Message, RandomNumberGenerator.GetBytes(72)));
        Assert.False(publicKey.Verify(Message, Encoding.ASCII.GetBytes("MEUCIQ==")));

        // The same signature in IEEE P1363 form (.NET's default) is not what cosign writes: refused.
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spkiKey = SignaturePublicKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
        Assert.False(spkiKey.Verify(Message, ecdsa.SignData(Message, HashAlgorithmName.SHA256)));
        Assert.True(spkiKey.Verify(Message, ecdsa.SignData(Message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
    }

    [Fact]
    public void Fingerprint_is_sha256_of_the_SubjectPublicKeyInfo_and_the_same_from_PEM_and_DER()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));

        var fromDer = SignaturePublicKey.FromSubjectPublicKeyInfo(spki);
        var fromPem = SignaturePublicKey.Parse(ecdsa.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(expected, fromDer.Fingerprint);
        Assert.Equal(expected, fromPem.Fingerprint);
        Assert.Equal(spki, fromPem.SubjectPublicKeyInfo.ToArray());
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", fromPem.ToPem(), StringComparison.Ordinal);
        Assert.Equal(expected, SignaturePublicKey.Parse(fromPem.ToPem()).Fingerprint);
    }

    [Fact]
    public void P256_verifies_a_signed_sha256_digest()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = SignaturePublicKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
        var digest = SHA256.HashData(Message);
        var signature = ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);

        Assert.True(key.VerifySha256Digest(digest, signature));
        Assert.True(key.Verify(Message, signature));
        Assert.False(key.VerifySha256Digest(SHA256.HashData("other"u8), signature));
        Assert.False(key.VerifySha256Digest(digest.AsSpan(0, 31), signature));
        Assert.False(key.VerifySha256Digest(digest, signature.AsSpan(0, 10)));
    }

    [Fact]
    public void P384_verifies_over_sha384_and_over_sha256_as_containers_image_signs()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var key = SignaturePublicKey.Parse(ecdsa.ExportSubjectPublicKeyInfoPem());

        Assert.Equal("ecdsa-p384", key.Algorithm);
        Assert.True(key.Verify(Message, ecdsa.SignData(Message, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.True(key.Verify(Message, ecdsa.SignData(Message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.False(key.Verify(Message, ecdsa.SignData(Message, HashAlgorithmName.SHA512, DSASignatureFormat.Rfc3279DerSequence)));
        Assert.False(key.Verify("other"u8, ecdsa.SignData(Message, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence)));
    }

    [Fact]
    public void Rsa_2048_verifies_pkcs1_sha256_only()
    {
        using var rsa = RSA.Create(2048);
        var key = SignaturePublicKey.Parse(rsa.ExportSubjectPublicKeyInfoPem());

        Assert.Equal("rsa-2048", key.Algorithm);
        var signature = rsa.SignData(Message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(key.Verify(Message, signature));
        Assert.True(key.VerifySha256Digest(SHA256.HashData(Message), signature));
        Assert.False(key.Verify("other"u8, signature));
        Assert.False(key.Verify(Message, signature.AsSpan(0, 100)));
        Assert.False(key.Verify(Message, rsa.SignData(Message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)));
    }

    [Fact]
    public void Rsa_1024_is_refused_as_too_weak()
    {
        using var rsa = RSA.Create(1024);
        var error = Assert.Throws<KeyFormatException>(() => SignaturePublicKey.Parse(rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.Contains("1024 bits", error.Message, StringComparison.Ordinal);
        Assert.Contains("2048", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ed25519_verifies_a_BouncyCastle_signature()
    {
        var privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(privateKey.GeneratePublicKey()).GetDerEncoded();
        var pem = PemEncoding.WriteString("PUBLIC KEY", spki);
        var signer = new Ed25519Signer();
        signer.Init(true, privateKey);
        signer.BlockUpdate(Message, 0, Message.Length);
        var signature = signer.GenerateSignature();

        var key = SignaturePublicKey.Parse(pem);

        Assert.Equal("ed25519", key.Algorithm);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki)), key.Fingerprint);
        Assert.True(key.Verify(Message, signature));
        Assert.False(key.Verify("other"u8, signature));
        Assert.False(key.Verify(Message, signature.AsSpan(0, 63)));
        Assert.False(key.VerifySha256Digest(SHA256.HashData(Message), signature));
    }

    [Fact]
    public void A_pasted_private_key_is_refused_without_echoing_it()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (var pem in new[] { ecdsa.ExportPkcs8PrivateKeyPem(), ecdsa.ExportECPrivateKeyPem() })
        {
            var error = Assert.Throws<KeyFormatException>(() => SignaturePublicKey.Parse(pem));
            Assert.Contains("private key", error.Message, StringComparison.Ordinal);
            var body = string.Concat(pem.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));
            for (var i = 0; i + 12 <= body.Length; i += 4)
            {
                Assert.DoesNotContain(body.Substring(i, 12), error.Message, StringComparison.Ordinal);
            }
        }

        var encrypted = Assert.Throws<KeyFormatException>(() => SignaturePublicKey.Parse("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n"));
        Assert.Contains("private key", encrypted.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJrZGYiOnt9fQ", encrypted.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "not a PEM block")]
    [InlineData("hello world", "not a PEM block")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0 user@host", "OpenSSH")]
    [InlineData("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n", "PEM type \"FOO\" is not supported")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "certificate")]
    [InlineData("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n", "PKCS#1")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "not a valid DER SubjectPublicKeyInfo")]
    [InlineData("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n", "malformed")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "malformed")]
    public void Unreadable_text_is_refused_with_a_reason(string pem, string reason)
    {
        var error = Assert.Throws<KeyFormatException>(() => SignaturePublicKey.Parse(pem));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_pem_blocks_are_refused()
    {
        using var one = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var two = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var error = Assert.Throws<KeyFormatException>(() => SignaturePublicKey.Parse(one.ExportSubjectPublicKeyInfoPem() + "\n" + two.ExportSubjectPublicKeyInfoPem()));
        Assert.Contains("more than one PEM block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_curves_and_algorithms_are_named()
    {
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        Assert.Contains("P-521", Assert.Throws<KeyFormatException>(() => SignaturePublicKey.Parse(p521.ExportSubjectPublicKeyInfoPem())).Message, StringComparison.Ordinal);

        using var brainpool = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        var curve = Assert.Throws<KeyFormatException>(() => SignaturePublicKey.Parse(brainpool.ExportSubjectPublicKeyInfoPem()));
        Assert.Contains("1.3.36.3.3.2.8.1.1.7", curve.Message, StringComparison.Ordinal);
        Assert.Contains("P-256 or P-384", curve.Message, StringComparison.Ordinal);

        var ed448 = new Ed448PrivateKeyParameters(new SecureRandom());
        var ed448Spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(ed448.GeneratePublicKey()).GetDerEncoded();
        Assert.Contains("Ed448", Assert.Throws<KeyFormatException>(() => SignaturePublicKey.FromSubjectPublicKeyInfo(ed448Spki)).Message, StringComparison.Ordinal);

        using var dsa = DSA.Create(2048);
        Assert.Contains("DSA keys", Assert.Throws<KeyFormatException>(() => SignaturePublicKey.FromSubjectPublicKeyInfo(dsa.ExportSubjectPublicKeyInfo())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_after_the_SubjectPublicKeyInfo_are_refused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] spki = [.. ecdsa.ExportSubjectPublicKeyInfo(), 0];
        Assert.Throws<KeyFormatException>(() => SignaturePublicKey.FromSubjectPublicKeyInfo(spki));
    }
}
