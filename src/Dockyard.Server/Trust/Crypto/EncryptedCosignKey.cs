using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Org.BouncyCastle.Crypto.Generators;

namespace Dockyard.Server.Trust.Crypto;

/// <summary>
/// cosign's encrypted private key PEM: PKCS#8 DER sealed with NaCl secretbox under scrypt(passphrase), as JSON inside a
/// PEM block. Written as <c>ENCRYPTED COSIGN PRIVATE KEY</c> with scrypt N=32768, r=8, p=1 — the only form Debian's
/// skopeo 1.9.3 / podman 4.3 read; read in both the <c>COSIGN</c> and <c>SIGSTORE</c> types with N of 2^15–2^17.
/// </summary>
/// <remarks>
/// The JSON is go-tuf's / go-securesystemslib's <c>encrypted</c> format:
/// <c>{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":B64},"cipher":{"name":"nacl/secretbox","nonce":B64},"ciphertext":B64}</c>,
/// base64 standard with padding (Go's encoding of <c>[]byte</c>); field names matched case-insensitively as Go does.
/// </remarks>
internal static class EncryptedCosignKey
{
    public const string CosignPemType = "ENCRYPTED COSIGN PRIVATE KEY";
    public const string SigstorePemType = "ENCRYPTED SIGSTORE PRIVATE KEY";

    private const string ScryptName = "scrypt";
    private const string SecretBoxName = "nacl/secretbox";
    private const int LegacyN = 1 << 15;
    private const int ScryptR = 8;
    private const int ScryptP = 1;
    private const int SaltSize = 32;
    private const string WrongPassphrase = "wrong passphrase, or the key file was altered.";

    // Only these work factors are read: a file naming a huge N would make Decrypt spend minutes and gigabytes.
    private static readonly int[] AcceptedN = [1 << 15, 1 << 16, 1 << 17];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        MaxDepth = 8,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The PEM text (COSIGN type, legacy scrypt parameters) of <paramref name="key"/> sealed under <paramref name="passphrase"/>.</summary>
    public static string Encrypt(SigningPrivateKey key, ReadOnlySpan<byte> passphrase)
    {
        ArgumentNullException.ThrowIfNull(key);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var nonce = RandomNumberGenerator.GetBytes(SecretBox.NonceSize);
        var boxKey = DeriveKey(passphrase, salt, LegacyN, ScryptR, ScryptP, SecretBox.KeySize);
        var pkcs8 = key.ExportPkcs8();
        try
        {
            var document = new EncryptedData(
                new KdfSection(ScryptName, new ScryptParameters(LegacyN, ScryptR, ScryptP), salt),
                new CipherSection(SecretBoxName, nonce),
                SecretBox.Seal(pkcs8, nonce, boxKey));
            return PemEncoding.WriteString(CosignPemType, JsonSerializer.SerializeToUtf8Bytes(document, Json)) + "\n";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            CryptographicOperations.ZeroMemory(boxKey);
        }
    }

    /// <summary>
    /// Opens an encrypted key PEM. Throws <see cref="KeyFormatException"/>: unknown PEM type, unsupported KDF or
    /// parameters, malformed JSON, or "wrong passphrase (or the key file was altered)".
    /// </summary>
    public static SigningPrivateKey Decrypt(string pem, ReadOnlySpan<byte> passphrase)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var json = PemBlock.ReadSingle(pem, [CosignPemType, SigstorePemType], DescribeWrongLabel, out _);
        var document = ReadDocument(json);

        // Every check before scrypt runs: the parameters are attacker-controlled until the box opens.
        var kdf = document.Kdf!;
        var cipher = document.Cipher!;
        if (!string.Equals(kdf.Name, ScryptName, StringComparison.Ordinal))
        {
            throw new KeyFormatException($"the key file's key derivation \"{Shorten(kdf.Name)}\" is not supported: only scrypt is.");
        }

        if (!string.Equals(cipher.Name, SecretBoxName, StringComparison.Ordinal))
        {
            throw new KeyFormatException($"the key file's cipher \"{Shorten(cipher.Name)}\" is not supported: only nacl/secretbox is.");
        }

        var parameters = kdf.Params!;
        if (!AcceptedN.Contains(parameters.N) || parameters.R != ScryptR || parameters.P != ScryptP)
        {
            throw new KeyFormatException(
                $"the key file's scrypt parameters N={parameters.N}, r={parameters.R}, p={parameters.P} are not supported: N must be 32768, 65536 or 131072 with r=8 and p=1.");
        }

        if (kdf.Salt is not { Length: > 0 and <= 1024 } || cipher.Nonce is not { Length: SecretBox.NonceSize } || document.Ciphertext is not { Length: >= SecretBox.TagSize })
        {
            throw new KeyFormatException("the key file is malformed (salt, nonce or ciphertext has the wrong size).");
        }

        var boxKey = DeriveKey(passphrase, kdf.Salt, parameters.N, parameters.R, parameters.P, SecretBox.KeySize);
        var pkcs8 = SecretBox.Open(document.Ciphertext, cipher.Nonce, boxKey);
        CryptographicOperations.ZeroMemory(boxKey);
        if (pkcs8 is null)
        {
            throw new KeyFormatException(WrongPassphrase);
        }

        try
        {
            return SigningPrivateKey.ImportPkcs8(pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>scrypt (RFC 7914) of <paramref name="passphrase"/>; the caller bounds <paramref name="n"/>.</summary>
    internal static byte[] DeriveKey(ReadOnlySpan<byte> passphrase, byte[] salt, int n, int r, int p, int length)
    {
        var copy = passphrase.ToArray();
        try
        {
            return SCrypt.Generate(copy, salt, n, r, p, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    private static EncryptedData ReadDocument(byte[] json)
    {
        try
        {
            var document = JsonSerializer.Deserialize<EncryptedData>(json, Json);
            if (document is { Kdf.Params: not null, Cipher: not null })
            {
                return document;
            }
        }
        catch (JsonException)
        {
            // Falls through to the one message below: the JSON's content is not echoed.
        }

        throw new KeyFormatException("the key file's content is not the expected JSON (kdf, cipher, ciphertext).");
    }

    private static string Shorten(string? value) =>
        value is null ? "" : value.Length > 32 ? value[..32] + "…" : value;

    private static string DescribeWrongLabel(string label) => label switch
    {
        "PUBLIC KEY" => "this is a public key: give the encrypted private key (e.g. cosign.key).",
        "ENCRYPTED PRIVATE KEY" or "PRIVATE KEY" or "EC PRIVATE KEY" =>
            $"this is a \"{label}\" PEM block: give an encrypted cosign key (\"{CosignPemType}\" or \"{SigstorePemType}\"), e.g. from `dockyard keys generate` or `cosign import-key-pair`.",
        _ => $"PEM type \"{label}\" is not supported: expected \"{CosignPemType}\" or \"{SigstorePemType}\".",
    };

    private sealed record EncryptedData(
        [property: JsonPropertyName("kdf")] KdfSection? Kdf,
        [property: JsonPropertyName("cipher")] CipherSection? Cipher,
        [property: JsonPropertyName("ciphertext")] byte[]? Ciphertext);

    private sealed record KdfSection(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("params")] ScryptParameters? Params,
        [property: JsonPropertyName("salt")] byte[]? Salt);

    private sealed record ScryptParameters(
        [property: JsonPropertyName("N")] int N,
        [property: JsonPropertyName("r")] int R,
        [property: JsonPropertyName("p")] int P);

    private sealed record CipherSection(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("nonce")] byte[]? Nonce);
}
