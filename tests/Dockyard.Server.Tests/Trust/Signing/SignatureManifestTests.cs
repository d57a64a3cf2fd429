using System.Text;
using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Server.Trust.Signing;

namespace Dockyard.Server.Tests.Trust.Signing;

public sealed class SignatureManifestTests
{
    private static readonly Digest Payload = Digest.Compute("payload one"u8);
    private static readonly Digest Config = Digest.Compute("config"u8);

    [Fact]
    public void Append_without_existing_manifest_writes_the_manifest_and_config_containers_image_writes()
    {
        var layer = new SignatureLayer(Payload, 11, "MEUCIQ+abc/=");
        var config = SignatureManifest.AppendToConfig(null, Payload);
        var manifest = SignatureManifest.Append(null, layer, Config, 42, "application/vnd.oci.image.config.v1+json");

        Assert.Equal($"{{\"architecture\":\"\",\"os\":\"\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{Payload}\"]}}}}", Encoding.UTF8.GetString(config));
        Assert.Equal(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{Config}\",\"size\":42}},"
            + $"\"layers\":[{{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"digest\":\"{Payload}\",\"size\":11,"
            + "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"MEUCIQ+abc/=\"}}]}",
            Encoding.UTF8.GetString(manifest));
        Assert.True(SignatureManifest.Contains(manifest, layer));
        Assert.Equal(layer, Assert.Single(SignatureManifest.ReadLayers(manifest)));
    }

    [Fact]
    public void Append_to_a_cosign_manifest_keeps_its_layers_fields_and_config_fields()
    {
        // As cosign writes it: a layer with a bundle annotation, manifest annotations, a config with history.
        var cosignLayer = $"{{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":240,\"digest\":\"{Payload}\",\"annotations\":{{\"dev.cosignproject.cosign/signature\":\"c2ln\",\"dev.sigstore.cosign/bundle\":\"{{}}\"}}}}";
        var existing = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":1,\"digest\":\"{Config}\"}},\"layers\":[{cosignLayer}],\"annotations\":{{\"x\":\"y\"}}}}");
        var existingConfig = Encoding.UTF8.GetBytes($"{{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{{\"created\":\"0001-01-01T00:00:00Z\"}}],\"os\":\"\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{Payload}\"]}},\"config\":{{}}}}");
        var second = Digest.Compute("payload two"u8);
        var layer = new SignatureLayer(second, 11, "c2ln");

        var config = SignatureManifest.AppendToConfig(existingConfig, second);
        var manifest = SignatureManifest.Append(existing, layer, Digest.Compute(config), config.Length, "application/vnd.oci.image.config.v1+json");

        using var configDoc = JsonDocument.Parse(config);
        Assert.Equal([Payload.Value, second.Value], configDoc.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, configDoc.RootElement.GetProperty("history").GetArrayLength());
        using var doc = JsonDocument.Parse(manifest);
        var layers = doc.RootElement.GetProperty("layers");
        Assert.Equal(2, layers.GetArrayLength());
        Assert.Equal("{}", layers[0].GetProperty("annotations").GetProperty("dev.sigstore.cosign/bundle").GetString());
        Assert.Equal(second.Value, layers[1].GetProperty("digest").GetString());
        Assert.Equal("y", doc.RootElement.GetProperty("annotations").GetProperty("x").GetString());
        Assert.Equal(Digest.Compute(config).Value, doc.RootElement.GetProperty("config").GetProperty("digest").GetString());

        // The cosign layer carries a bundle annotation too, so an equal-looking signature alone is not "already there".
        Assert.False(SignatureManifest.Contains(manifest, new SignatureLayer(Payload, 240, "c2ln")));
        Assert.True(SignatureManifest.Contains(manifest, layer));
        Assert.Equal(2, SignatureManifest.ReadLayers(manifest).Count);
    }

    [Fact]
    public void ReadLayers_skips_other_media_types_and_layers_without_a_signature()
    {
        var manifest = Encoding.UTF8.GetBytes($"{{\"layers\":[{{\"mediaType\":\"application/octet-stream\",\"digest\":\"{Payload}\",\"size\":1,\"annotations\":{{\"dev.cosignproject.cosign/signature\":\"a\"}}}},{{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"digest\":\"{Payload}\",\"size\":1}}]}}");

        Assert.Empty(SignatureManifest.ReadLayers(manifest));
        Assert.Empty(SignatureManifest.ReadLayers("not json"u8));
    }

    [Fact]
    public void SignatureTag_is_cosigns_tag()
    {
        var digest = Digest.Compute("image"u8);
        Assert.Equal("sha256-" + digest.Hex + ".sig", SignatureTag.For(digest));
    }
}
