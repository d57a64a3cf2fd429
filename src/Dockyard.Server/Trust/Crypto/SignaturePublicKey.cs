using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Dockyard.Server.Trust.Crypto;

/// <summary>
/// A public key that verifies image signatures: ECDSA P-256 / P-384 (ASN.1 DER signatures over SHA-256 / SHA-384, as
/// cosign and containers/image write them), RSA of at least 2048 bits (PKCS#1 v1.5, SHA-256) and Ed25519.
/// Read from a PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo). Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// A P-384 signature is accepted over SHA-384 (sigstore's default for the curve, cosign ≥ 2.5) or SHA-256 (what
/// containers/image and older cosign hard-code for every key). The .NET key objects are not documented as thread-safe,
/// so each verification imports the SPKI afresh (tens of microseconds; verdicts are cached by the callers).
/// </remarks>
internal sealed class SignaturePublicKey
{
    private const string PemLabel = "PUBLIC KEY";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string RsaPssOid = "1.2.840.113549.1.1.10";
    private const string Ed25519Oid = "1.3.101.112";
    private const string Ed448Oid = "1.3.101.113";
    private const string DsaOid = "1.2.840.10040.4.1";
    private const int MinimumRsaBits = 2048;

    private readonly KeyKind _kind;
    private readonly byte[] _spki;
    private readonly byte[]? _ed25519;

    private SignaturePublicKey(KeyKind kind, string algorithm, byte[] spki, byte[]? ed25519)
    {
        _kind = kind;
        _spki = spki;
        _ed25519 = ed25519;
        Algorithm = algorithm;
        Fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    private enum KeyKind
    {
        EcdsaP256,
        EcdsaP384,
        Rsa,
        Ed25519,
    }

    /// <summary><c>ecdsa-p256</c>, <c>ecdsa-p384</c>, <c>rsa-&lt;bits&gt;</c> or <c>ed25519</c>.</summary>
    public string Algorithm { get; }

    /// <summary><c>sha256:</c> + lowercase hex of SHA-256 over the DER SubjectPublicKeyInfo: the key's identity everywhere.</summary>
    public string Fingerprint { get; }

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _spki;

    /// <summary>Reads one PEM <c>PUBLIC KEY</c> block; throws <see cref="KeyFormatException"/> saying what is wrong (PEM type, algorithm, curve, RSA size).</summary>
    public static SignaturePublicKey Parse(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var der = PemBlock.ReadSingle(pem, PemLabel, DescribeWrongLabel);
        return FromSubjectPublicKeyInfo(der);
    }

    /// <summary>From DER SubjectPublicKeyInfo; same checks as <see cref="Parse"/>.</summary>
    public static SignaturePublicKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki)
    {
        var (algorithmOid, parameterOid, keyBits) = ReadSpki(spki);
        switch (algorithmOid)
        {
            case EcPublicKeyOid:
                var kind = parameterOid switch
                {
                    P256Oid => KeyKind.EcdsaP256,
                    P384Oid => KeyKind.EcdsaP384,
                    P521Oid => throw new KeyFormatException("ECDSA keys on curve P-521 are not supported: use P-256 or P-384."),
                    null => throw new KeyFormatException("ECDSA keys with explicit curve parameters are not supported: use a named curve (P-256 or P-384)."),
                    _ => throw new KeyFormatException($"the ECDSA curve {parameterOid} is not supported: use P-256 or P-384."),
                };
                using (var ecdsa = ECDsa.Create())
                {
                    ImportOrRefuse(ecdsa, spki, "ECDSA");
                    // Re-exported so one key has one fingerprint whatever point encoding the input used.
                    var canonical = ecdsa.ExportSubjectPublicKeyInfo();
                    return new SignaturePublicKey(kind, kind == KeyKind.EcdsaP256 ? "ecdsa-p256" : "ecdsa-p384", canonical, null);
                }
            case RsaOid:
                using (var rsa = RSA.Create())
                {
                    ImportOrRefuse(rsa, spki, "RSA");
                    if (rsa.KeySize < MinimumRsaBits)
                    {
                        throw new KeyFormatException($"RSA keys of {rsa.KeySize} bits are too weak: use at least {MinimumRsaBits} bits.");
                    }

                    return new SignaturePublicKey(KeyKind.Rsa, $"rsa-{rsa.KeySize}", rsa.ExportSubjectPublicKeyInfo(), null);
                }
            case Ed25519Oid:
                if (parameterOid is not null || keyBits.Length != Ed25519.PublicKeySize)
                {
                    throw new KeyFormatException("the Ed25519 public key is malformed.");
                }

                if (!Ed25519.ValidatePublicKeyFull(keyBits, 0))
                {
                    throw new KeyFormatException("the Ed25519 public key is not a valid curve point.");
                }

                return new SignaturePublicKey(KeyKind.Ed25519, "ed25519", spki.ToArray(), keyBits);
            case RsaPssOid:
                throw new KeyFormatException("RSA-PSS keys are not supported: use an RSA (rsaEncryption), ECDSA P-256/P-384 or Ed25519 key.");
            case Ed448Oid:
                throw new KeyFormatException("Ed448 keys are not supported: use Ed25519, ECDSA P-256/P-384 or RSA.");
            case DsaOid:
                throw new KeyFormatException("DSA keys are not supported: use ECDSA P-256/P-384, RSA or Ed25519.");
            default:
                throw new KeyFormatException($"the key algorithm {algorithmOid} is not supported: use ECDSA P-256/P-384, RSA (at least {MinimumRsaBits} bits) or Ed25519.");
        }
    }

    /// <summary>The key as a PEM <c>PUBLIC KEY</c> block.</summary>
    public string ToPem() => PemEncoding.WriteString(PemLabel, _spki) + "\n";

    /// <summary>True when <paramref name="signature"/> (DER for ECDSA) signs <paramref name="data"/>. Malformed signatures are false, never an exception.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.IsEmpty)
        {
            return false;
        }

        try
        {
            switch (_kind)
            {
                case KeyKind.EcdsaP256:
                    return VerifyEcdsa(SHA256.HashData(data), signature);
                case KeyKind.EcdsaP384:
                    return VerifyEcdsa(SHA384.HashData(data), signature) || VerifyEcdsa(SHA256.HashData(data), signature);
                case KeyKind.Rsa:
                    using (var rsa = ImportRsa())
                    {
                        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    }

                case KeyKind.Ed25519:
                    return signature.Length == Ed25519.SignatureSize && Ed25519.Verify(signature.ToArray(), 0, _ed25519, 0, data.ToArray(), 0, data.Length);
                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when <paramref name="signature"/> signs a message whose SHA-256 is <paramref name="sha256"/> (sigstore bundles'
    /// <c>messageSignature</c> sign the artifact, which only its digest names). Always false for Ed25519, which cannot verify a pre-hashed message.
    /// </summary>
    public bool VerifySha256Digest(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature)
    {
        if (sha256.Length != SHA256.HashSizeInBytes || signature.IsEmpty)
        {
            return false;
        }

        try
        {
            switch (_kind)
            {
                case KeyKind.EcdsaP256:
                case KeyKind.EcdsaP384:
                    return VerifyEcdsa(sha256, signature);
                case KeyKind.Rsa:
                    using (var rsa = ImportRsa())
                    {
                        return rsa.VerifyHash(sha256, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    }

                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public override string ToString() => $"{Algorithm} {Fingerprint}";

    private bool VerifyEcdsa(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_spki, out _);
        return ecdsa.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence);
    }

    private RSA ImportRsa()
    {
        var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(_spki, out _);
        return rsa;
    }

    private static void ImportOrRefuse(AsymmetricAlgorithm key, ReadOnlySpan<byte> spki, string name)
    {
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
            {
                throw new KeyFormatException($"the {name} public key has trailing data.");
            }
        }
        catch (CryptographicException)
        {
            throw new KeyFormatException($"the {name} public key is malformed.");
        }
    }

    /// <summary>SEQUENCE { SEQUENCE { algorithm OID, parameters ANY OPTIONAL }, BIT STRING }, with nothing after it.</summary>
    private static (string AlgorithmOid, string? ParameterOid, byte[] KeyBits) ReadSpki(ReadOnlySpan<byte> spki)
    {
        try
        {
            var reader = new AsnReader(spki.ToArray(), AsnEncodingRules.DER);
            var info = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithm = info.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            string? parameter = null;
            if (algorithm.HasData && algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                parameter = algorithm.ReadObjectIdentifier();
            }

            var bits = info.ReadBitString(out var unused);
            info.ThrowIfNotEmpty();
            if (unused != 0)
            {
                throw new KeyFormatException("the public key is malformed (a partial byte in its key bits).");
            }

            return (oid, parameter, bits);
        }
        catch (AsnContentException)
        {
            throw new KeyFormatException("the public key is not a valid DER SubjectPublicKeyInfo.");
        }
    }

    private static string DescribeWrongLabel(string label) => label switch
    {
        _ when label.Contains("PRIVATE KEY", StringComparison.Ordinal) =>
            $"this is a private key (PEM type \"{label}\"), not a public key: register the public key (the PUBLIC KEY block, e.g. cosign.pub) and keep the private key secret.",
        "CERTIFICATE" => "this is a certificate, not a public key: extract its key with `openssl x509 -pubkey -noout` and register that PUBLIC KEY block.",
        "RSA PUBLIC KEY" => "this is a PKCS#1 RSA PUBLIC KEY: convert it with `openssl rsa -RSAPublicKey_in -pubout` to a PUBLIC KEY block.",
        "EC PARAMETERS" => "this is an EC PARAMETERS block, not a key: register the PUBLIC KEY block.",
        _ => $"PEM type \"{label}\" is not supported: expected a \"{PemLabel}\" block.",
    };
}
