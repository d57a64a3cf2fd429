using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Server.Trust.Crypto;

namespace Dockyard.Server.Tests.Trust.Crypto;

public sealed class SigstoreBundleTests
{
    private const string ImageHex = "4b3c1a2f0e9d8c7b6a5948372615f4e3d2c1b0a9f8e7d6c5b4a3928170615243";

    [Fact]
    public void Pre_authentication_encoding_matches_the_DSSE_spec_example()
    {
        var pae = SigstoreBundle.PreAuthenticationEncoding("http://example.com/HelloWorld", "hello world"u8);
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void A_cosign_3_style_DSSE_bundle_names_its_subject_and_verifies_with_the_signing_key()
    {
        using var key = SigningPrivateKey.Generate();
        var json = DsseBundle(key, Statement(ImageHex));

        Assert.True(SigstoreBundle.TryParse(json, out var bundle, out var error), error);
        Assert.Equal(["sha256:" + ImageHex], bundle.SubjectDigests);
        Assert.Equal("https://sigstore.dev/cosign/sign/v1", bundle.PredicateType);
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", bundle.MediaType);
        Assert.Equal("a-key-hint", bundle.KeyHint);
        Assert.True(bundle.VerifyWith(key.PublicKey));

        using var other = SigningPrivateKey.Generate();
        Assert.False(bundle.VerifyWith(other.PublicKey));
    }

    [Fact]
    public void A_tampered_statement_or_a_signature_over_the_bare_payload_does_not_verify()
    {
        using var key = SigningPrivateKey.Generate();
        var signed = Statement(ImageHex);
        var tampered = Statement(new string('0', 64));
        var json = JsonNode.Parse(DsseBundle(key, signed))!;
        json["dsseEnvelope"]!["payload"] = Convert.ToBase64String(tampered);

        Assert.True(SigstoreBundle.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out var bundle, out var error), error);
        Assert.Equal(["sha256:" + new string('0', 64)], bundle.SubjectDigests);
        Assert.False(bundle.VerifyWith(key.PublicKey));

        var bare = JsonNode.Parse(DsseBundle(key, signed))!;
        bare["dsseEnvelope"]!["signatures"] = new JsonArray(new JsonObject { ["sig"] = Convert.ToBase64String(key.Sign(signed)) });
        Assert.True(SigstoreBundle.TryParse(Encoding.UTF8.GetBytes(bare.ToJsonString()), out var bareBundle, out _));
        Assert.False(bareBundle.VerifyWith(key.PublicKey));
    }

    [Fact]
    public void Any_one_good_signature_among_several_verifies()
    {
        using var key = SigningPrivateKey.Generate();
        var statement = Statement(ImageHex);
        var json = JsonNode.Parse(DsseBundle(key, statement))!;
        var good = json["dsseEnvelope"]!["signatures"]![0]!.DeepClone();
        json["dsseEnvelope"]!["signatures"] = new JsonArray(new JsonObject { ["sig"] = Convert.ToBase64String(new byte[70]), ["keyid"] = "" }, good);

        Assert.True(SigstoreBundle.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out var bundle, out var error), error);
        Assert.True(bundle.VerifyWith(key.PublicKey));
    }

    [Fact]
    public void A_message_signature_bundle_verifies_against_its_digest()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = SignaturePublicKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
        var digest = SHA256.HashData("an artifact"u8);
        var signature = ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.2",
            verificationMaterial = new { publicKey = new { hint = "h" }, tlogEntries = Array.Empty<object>() },
            messageSignature = new
            {
                messageDigest = new { algorithm = "SHA2_256", digest = Convert.ToBase64String(digest) },
                signature = Convert.ToBase64String(signature),
            },
        });

        Assert.True(SigstoreBundle.TryParse(json, out var bundle, out var error), error);
        Assert.Equal(["sha256:" + Convert.ToHexStringLower(digest)], bundle.SubjectDigests);
        Assert.Null(bundle.PredicateType);
        Assert.True(bundle.VerifyWith(key));
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(bundle.VerifyWith(SignaturePublicKey.FromSubjectPublicKeyInfo(other.ExportSubjectPublicKeyInfo())));
    }

    [Fact]
    public void Proto_field_names_and_url_safe_unpadded_base64_are_read()
    {
        using var key = SigningPrivateKey.Generate();
        var statement = Statement(ImageHex);
        var pae = SigstoreBundle.PreAuthenticationEncoding(SigstoreBundle.InTotoPayloadType, statement);
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            media_type = "application/vnd.dev.sigstore.bundle+json;version=0.1",
            dsse_envelope = new
            {
                payload = UrlSafe(statement),
                payload_type = SigstoreBundle.InTotoPayloadType,
                signatures = new[] { new { sig = UrlSafe(key.Sign(pae)), keyid = "" } },
            },
        });

        Assert.True(SigstoreBundle.TryParse(json, out var bundle, out var error), error);
        Assert.True(bundle.VerifyWith(key.PublicKey));
        Assert.Null(bundle.KeyHint);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"mediaType\":\"application/json\"}", "mediaType")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}", "neither a messageSignature nor a dsseEnvelope")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"mediaType\":\"x\"}", "repeats a field")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_384\",\"digest\":\"AAAA\"},\"signature\":\"AAAA\"}}", "SHA2_256")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\"AAAA\"},\"signature\":\"AAAA\"}}", "32 bytes")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":{\"payload\":\"e30=\",\"payloadType\":\"text/plain\",\"signatures\":[{\"sig\":\"AAAA\"}]}}", "payload type")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[]}}", "no signature")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[{\"sig\":\"AAAA\"}]}}", "not an in-toto statement")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":{\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[{\"sig\":\"AAAA\"}]}}", "no payload")]
    public void Refusals_say_what_is_wrong(string json, string reason)
    {
        Assert.False(SigstoreBundle.TryParse(Encoding.UTF8.GetBytes(json), out var bundle, out var error));
        Assert.Null(bundle);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_without_a_sha256_subject_is_refused()
    {
        using var key = SigningPrivateKey.Generate();
        var statement = Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"x\",\"digest\":{\"sha512\":\"00\"}}],\"predicateType\":\"p\",\"predicate\":{}}");
        Assert.False(SigstoreBundle.TryParse(DsseBundle(key, statement), out _, out var error));
        Assert.Contains("no subject with a sha256 digest", error, StringComparison.Ordinal);
    }

    private static byte[] Statement(string hex) => Encoding.UTF8.GetBytes(
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"127.0.0.1:5000/team/app\",\"digest\":{\"sha256\":\"" + hex + "\"}}],"
        + "\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{}}");

    private static byte[] DsseBundle(SigningPrivateKey key, byte[] statement)
    {
        var signature = key.Sign(SigstoreBundle.PreAuthenticationEncoding(SigstoreBundle.InTotoPayloadType, statement));
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            mediaType = "application/vnd.dev.sigstore.bundle.v0.3+json",
            verificationMaterial = new { publicKey = new { hint = "a-key-hint" }, tlogEntries = Array.Empty<object>(), timestampVerificationData = new { } },
            dsseEnvelope = new
            {
                payload = Convert.ToBase64String(statement),
                payloadType = SigstoreBundle.InTotoPayloadType,
                signatures = new[] { new { sig = Convert.ToBase64String(signature), keyid = "" } },
            },
        });
    }

    private static string UrlSafe(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
