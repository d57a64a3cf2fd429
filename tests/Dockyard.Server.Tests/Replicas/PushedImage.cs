using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>A deterministic image (config + one layer + OCI manifest): the same seed always gives the same digests, so a retried push re-sends identical bytes.</summary>
public sealed record PushedImage(string Repository, string Tag, byte[] Config, byte[] Layer, string ManifestJson)
{
    public string ConfigDigest => RegistryTestClient.DigestOf(Config);

    public string LayerDigest => RegistryTestClient.DigestOf(Layer);

    public string ManifestDigest => RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(ManifestJson));

    public static PushedImage Create(string repository, string tag, int seed, int layerBytes)
    {
        var layer = new byte[layerBytes];
        new Random(seed).NextBytes(layer);
        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":{seed}}}");
        var json = TestManifests.Image(
            TestManifests.OciManifest,
            RegistryTestClient.DigestOf(config),
            config.Length,
            "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer)),
            layer.Length);
        return new PushedImage(repository, tag, config, layer, json);
    }
}
