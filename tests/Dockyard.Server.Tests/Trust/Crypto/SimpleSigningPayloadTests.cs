using System.Text;
using Dockyard.Server.Trust.Crypto;

namespace Dockyard.Server.Tests.Trust.Crypto;

public sealed class SimpleSigningPayloadTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void ToJson_without_optional_fields_is_cosigns_shape()
    {
        var json = new SimpleSigningPayload("registry.example:5000/team/app", Digest, null).ToJson();

        Assert.Equal(
            "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example:5000/team/app\"},\"image\":{\"docker-manifest-digest\":\"" + Digest + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}",
            Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void ToJson_puts_creator_and_timestamp_in_optional_as_containers_image_does()
    {
        var payload = new SimpleSigningPayload("registry.example/team/app:v1", Digest, DateTimeOffset.FromUnixTimeSeconds(1_765_000_000)) { Creator = "dockyard" };

        Assert.Equal(
            "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/team/app:v1\"},\"image\":{\"docker-manifest-digest\":\"" + Digest + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"creator\":\"dockyard\",\"timestamp\":1765000000}}",
            Encoding.UTF8.GetString(payload.ToJson()));
        Assert.True(SimpleSigningPayload.TryParse(payload.ToJson(), out var parsed, out var error), error);
        Assert.Equal(payload, parsed);
    }

    [Fact]
    public void TryParse_reads_a_containers_image_payload_with_fields_in_any_order_and_extra_fields()
    {
        var json = "{\"optional\":{\"creator\":\"containers/image 5.22.1\",\"timestamp\":1700000000,\"extra\":[1,2]},\"critical\":{\"type\":\"cosign container image signature\",\"image\":{\"docker-manifest-digest\":\"" + Digest + "\"},\"identity\":{\"docker-reference\":\"127.0.0.1:5000/e2e/app:v1\"},\"future\":true}}";

        Assert.True(SimpleSigningPayload.TryParse(Encoding.UTF8.GetBytes(json), out var payload, out var error), error);
        Assert.Equal("127.0.0.1:5000/e2e/app:v1", payload.DockerReference);
        Assert.Equal(Digest, payload.ManifestDigest);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), payload.Timestamp);
        Assert.Equal("containers/image 5.22.1", payload.Creator);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "no \\\"critical\\\"")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"something else\"}}", "critical.type")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"sha256:ABCDEF\"},\"type\":\"cosign container image signature\"}}", "docker-manifest-digest")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"},\"type\":\"cosign container image signature\"}}", "docker-manifest-digest")]
    [InlineData("{\"critical\":{\"identity\":{},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"cosign container image signature\"}}", "docker-reference")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"cosign container image signature\"},\"optional\":{\"timestamp\":1.5}}", "timestamp")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"cosign container image signature\"},\"optional\":\"x\"}", "optional")]
    [InlineData("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"D\"},\"type\":\"cosign container image signature\",\"type\":\"other\"}}", "repeats a field")]
    public void TryParse_refuses_with_a_reason(string json, string reason)
    {
        json = json.Replace("\"D\"", "\"" + Digest + "\"", StringComparison.Ordinal);
        Assert.False(SimpleSigningPayload.TryParse(Encoding.UTF8.GetBytes(json), out var payload, out var error));
        Assert.Null(payload);
        Assert.Contains(reason.Replace("\\\"", "\"", StringComparison.Ordinal), error, StringComparison.Ordinal);
    }
}
