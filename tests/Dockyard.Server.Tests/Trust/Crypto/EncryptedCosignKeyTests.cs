using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Server.Trust.Crypto;

namespace Dockyard.Server.Tests.Trust.Crypto;

public sealed class EncryptedCosignKeyTests
{
    private static readonly byte[] Passphrase = Encoding.UTF8.GetBytes("correct horse battery staple");

    [Theory]
    [InlineData("", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    [InlineData("pleaseletmein", "SodiumChloride", 16384, 8, 1, "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")]
    public void Scrypt_matches_RFC_7914(string passphrase, string salt, int n, int r, int p, string expected)
    {
        var key = EncryptedCosignKey.DeriveKey(Encoding.ASCII.GetBytes(passphrase), Encoding.ASCII.GetBytes(salt), n, r, p, 64);
        Assert.Equal(expected, Convert.ToHexStringLower(key));
    }

    [Fact]
    public void Encrypt_writes_the_legacy_cosign_form_that_Decrypt_opens()
    {
        using var key = SigningPrivateKey.Generate();
        var pem = EncryptedCosignKey.Encrypt(key, Passphrase);

        Assert.StartsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        Assert.EndsWith("-----END ENCRYPTED COSIGN PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        var json = JsonNode.Parse(PemJson(pem))!;
        Assert.Equal("scrypt", (string?)json["kdf"]!["name"]);
        Assert.Equal(32768, (int)json["kdf"]!["params"]!["N"]!);
        Assert.Equal(8, (int)json["kdf"]!["params"]!["r"]!);
        Assert.Equal(1, (int)json["kdf"]!["params"]!["p"]!);
        Assert.Equal(32, Convert.FromBase64String((string)json["kdf"]!["salt"]!).Length);
        Assert.Equal("nacl/secretbox", (string?)json["cipher"]!["name"]);
        Assert.Equal(24, Convert.FromBase64String((string)json["cipher"]!["nonce"]!).Length);
        Assert.Equal(key.ExportPkcs8().Length + 16, Convert.FromBase64String((string)json["ciphertext"]!).Length);
        Assert.Equal(["kdf", "cipher", "ciphertext"], json.AsObject().Select(p => p.Key));

        using var opened = EncryptedCosignKey.Decrypt(pem, Passphrase);
        Assert.Equal(key.PublicKey.Fingerprint, opened.PublicKey.Fingerprint);
        Assert.True(key.PublicKey.Verify("payload"u8, opened.Sign("payload"u8)));
    }

    [Theory]
    [InlineData(EncryptedCosignKey.SigstorePemType, 1 << 15)]
    [InlineData(EncryptedCosignKey.SigstorePemType, 1 << 16)]
    [InlineData(EncryptedCosignKey.CosignPemType, 1 << 17)]
    public void Decrypt_reads_both_PEM_types_and_the_newer_work_factors(string pemType, int n)
    {
        using var key = SigningPrivateKey.Generate();
        var pem = Seal(key.ExportPkcs8(), Passphrase, pemType, n);

        using var opened = EncryptedCosignKey.Decrypt(pem, Passphrase);
        Assert.Equal(key.PublicKey.Fingerprint, opened.PublicKey.Fingerprint);
    }

    [Fact]
    public void Decrypt_matches_field_names_case_insensitively_as_Go_does()
    {
        using var key = SigningPrivateKey.Generate();
        var json = PemJson(EncryptedCosignKey.Encrypt(key, Passphrase)).Replace("\"kdf\"", "\"KDF\"", StringComparison.Ordinal).Replace("\"ciphertext\"", "\"Ciphertext\"", StringComparison.Ordinal);

        using var opened = EncryptedCosignKey.Decrypt(PemEncoding.WriteString(EncryptedCosignKey.CosignPemType, Encoding.UTF8.GetBytes(json)), Passphrase);
        Assert.Equal(key.PublicKey.Fingerprint, opened.PublicKey.Fingerprint);
    }

    [Fact]
    public void Wrong_passphrase_and_altered_ciphertext_are_refused_with_the_same_words()
    {
        using var key = SigningPrivateKey.Generate();
        var pem = EncryptedCosignKey.Encrypt(key, Passphrase);

        var wrong = Assert.Throws<KeyFormatException>(() => EncryptedCosignKey.Decrypt(pem, "Correct horse battery staple"u8));
        Assert.Equal("wrong passphrase, or the key file was altered.", wrong.Message);
        Assert.Throws<KeyFormatException>(() => EncryptedCosignKey.Decrypt(pem, []));

        var json = JsonNode.Parse(PemJson(pem))!;
        var ciphertext = Convert.FromBase64String((string)json["ciphertext"]!);
        ciphertext[20] ^= 1;
        json["ciphertext"] = Convert.ToBase64String(ciphertext);
        var altered = Assert.Throws<KeyFormatException>(() => EncryptedCosignKey.Decrypt(Pem(json), Passphrase));
        Assert.Equal(wrong.Message, altered.Message);
    }

    [Theory]
    [InlineData(1 << 20, 8, 1)]
    [InlineData(1 << 30, 8, 1)]
    [InlineData(1 << 14, 8, 1)]
    [InlineData(32768, 16, 1)]
    [InlineData(32768, 8, 2)]
    public void Other_scrypt_parameters_are_refused_before_scrypt_runs(int n, int r, int p)
    {
        using var key = SigningPrivateKey.Generate();
        var json = JsonNode.Parse(PemJson(EncryptedCosignKey.Encrypt(key, Passphrase)))!;
        json["kdf"]!["params"] = new JsonObject { ["N"] = n, ["r"] = r, ["p"] = p };

        var stopwatch = Stopwatch.StartNew();
        var error = Assert.Throws<KeyFormatException>(() => EncryptedCosignKey.Decrypt(Pem(json), Passphrase));
        stopwatch.Stop();

        Assert.Contains($"N={n}, r={r}, p={p}", error.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMilliseconds(500), $"refusal took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Other_algorithms_and_malformed_files_are_refused_with_a_reason()
    {
        using var key = SigningPrivateKey.Generate();
        var good = JsonNode.Parse(PemJson(EncryptedCosignKey.Encrypt(key, Passphrase)))!;

        var kdf = good.DeepClone();
        kdf["kdf"]!["name"] = "argon2id";
        Assert.Contains("\"argon2id\" is not supported", Refusal(Pem(kdf)), StringComparison.Ordinal);

        var cipher = good.DeepClone();
        cipher["cipher"]!["name"] = "aes-gcm";
        Assert.Contains("\"aes-gcm\" is not supported", Refusal(Pem(cipher)), StringComparison.Ordinal);

        var nonce = good.DeepClone();
        nonce["cipher"]!["nonce"] = Convert.ToBase64String(new byte[12]);
        Assert.Contains("wrong size", Refusal(Pem(nonce)), StringComparison.Ordinal);

        var noParams = good.DeepClone();
        noParams["kdf"]!.AsObject().Remove("params");
        Assert.Contains("not the expected JSON", Refusal(Pem(noParams)), StringComparison.Ordinal);

        Assert.Contains("not the expected JSON", Refusal(PemEncoding.WriteString(EncryptedCosignKey.CosignPemType, "not json"u8)), StringComparison.Ordinal);
        Assert.Contains("not the expected JSON", Refusal(PemEncoding.WriteString(EncryptedCosignKey.CosignPemType, "{\"ciphertext\":\"!!\"}"u8)), StringComparison.Ordinal);
        Assert.Contains("public key", Refusal(key.PublicKey.ToPem()), StringComparison.Ordinal);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Contains("\"PRIVATE KEY\" PEM block", Refusal(ecdsa.ExportPkcs8PrivateKeyPem()), StringComparison.Ordinal);
        Assert.Contains("PEM type \"OPENSSH PRIVATE KEY\"", Refusal("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"), StringComparison.Ordinal);
        Assert.Contains("not a PEM block", Refusal("garbage"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sealed_key_that_is_not_P256_is_refused_after_opening()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = Seal(p384.ExportPkcs8PrivateKey(), Passphrase, EncryptedCosignKey.SigstorePemType, 1 << 15);
        Assert.Contains("P-256", Refusal(pem), StringComparison.Ordinal);
    }

    private static string Refusal(string pem) => Assert.Throws<KeyFormatException>(() => EncryptedCosignKey.Decrypt(pem, Passphrase)).Message;

    private static string PemJson(string pem)
    {
        var fields = PemEncoding.Find(pem);
        return Encoding.UTF8.GetString(Convert.FromBase64String(pem[fields.Base64Data]));
    }

    private static string Pem(JsonNode json) => PemEncoding.WriteString(EncryptedCosignKey.CosignPemType, Encoding.UTF8.GetBytes(json.ToJsonString()));

    /// <summary>Seals as newer cosign / go-securesystemslib do, with the given PEM type and work factor.</summary>
    private static string Seal(byte[] pkcs8, byte[] passphrase, string pemType, int n)
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(24);
        var boxKey = EncryptedCosignKey.DeriveKey(passphrase, salt, n, 8, 1, 32);
        var json = JsonSerializer.Serialize(new
        {
            kdf = new { name = "scrypt", @params = new { N = n, r = 8, p = 1 }, salt },
            cipher = new { name = "nacl/secretbox", nonce },
            ciphertext = SecretBox.Seal(pkcs8, nonce, boxKey),
        });
        return PemEncoding.WriteString(pemType, Encoding.UTF8.GetBytes(json)) + "\n";
    }
}
