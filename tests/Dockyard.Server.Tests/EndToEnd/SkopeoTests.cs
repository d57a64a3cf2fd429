using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class SkopeoTests : IDisposable
{
    private readonly DockyardProcess _server;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _work = new("skopeo-e2e");
    private readonly string _skopeo;
    private readonly Dictionary<string, string?> _environment;

    public SkopeoTests(DockyardProcessFixture server, ITestOutputHelper output)
    {
        _server = server.Server;
        _output = output;
        _skopeo = ExternalTool.Skopeo();
        var authFile = _work.Combine("auth.json");
        File.WriteAllText(authFile, "{\"auths\":{}}");
        _environment = new Dictionary<string, string?>
        {
            ["REGISTRY_AUTH_FILE"] = authFile, // no credentials from the machine
            ["TMPDIR"] = Directory.CreateDirectory(_work.Combine("tmp")).FullName,
        };
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Multi_platform_index_roundtrips_with_identical_digests()
    {
        var source = TestImages.WriteTwoPlatformOciLayout(Directory.CreateDirectory(_work.Combine("source")).FullName, "v1");
        var remote = $"docker://{_server.RegistryHost}/e2e/multi";

        await Skopeo("copy", "--all", "--preserve-digests", "--dest-tls-verify=false", $"oci:{source.LayoutPath}:v1", $"{remote}:v1");

        // The index as stored by the registry: same bytes, same digest.
        var rawIndex = (await Skopeo("inspect", "--raw", "--tls-verify=false", $"{remote}:v1")).StandardOutput.TrimEnd('\n');
        Assert.Equal(Encoding.UTF8.GetString(source.IndexBytes), rawIndex);
        Assert.Equal(source.IndexDigest, TestImages.Sha256Digest(Encoding.UTF8.GetBytes(rawIndex)));

        // Same check over plain HTTP, byte for byte, with the registry's own digest header.
        using (var client = _server.CreateClient())
        using (var request = new HttpRequestMessage(HttpMethod.Get, "v2/e2e/multi/manifests/v1"))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(TestImages.OciIndexMediaType));
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET manifest v1: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
            Assert.Equal(source.IndexBytes, body);
            Assert.Equal(TestImages.OciIndexMediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(source.IndexDigest, response.Headers.GetValues("Docker-Content-Digest").Single());
        }

        // One platform's manifest, addressed by digest.
        var arm64 = source.ManifestDigests["linux/arm64"];
        var rawManifest = (await Skopeo("inspect", "--raw", "--tls-verify=false", $"{remote}@{arm64}")).StandardOutput.TrimEnd('\n');
        Assert.Equal(Encoding.UTF8.GetString(source.ManifestBytes["linux/arm64"]), rawManifest);
        var inspected = (await Skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64", "--override-os", "linux", $"{remote}@{arm64}")).StandardOutput;
        using (var doc = JsonDocument.Parse(inspected))
        {
            Assert.Equal("arm64", doc.RootElement.GetProperty("Architecture").GetString());
            Assert.Equal(arm64, doc.RootElement.GetProperty("Digest").GetString());
        }

        // And back out into a fresh layout: index and both manifests keep their digests, every blob is intact.
        var copyBack = Directory.CreateDirectory(_work.Combine("copy-back")).FullName;
        await Skopeo("copy", "--all", "--preserve-digests", "--src-tls-verify=false", $"{remote}:v1", $"oci:{copyBack}:v1");

        var indexDigest = TaggedDigest(copyBack, "v1");
        Assert.Equal(source.IndexDigest, indexDigest);
        var index = File.ReadAllBytes(BlobPath(copyBack, indexDigest));
        Assert.Equal(source.IndexBytes, index);
        using (var doc = JsonDocument.Parse(index))
        {
            var manifests = doc.RootElement.GetProperty("manifests").EnumerateArray()
                .ToDictionary(
                    m => $"{m.GetProperty("platform").GetProperty("os").GetString()}/{m.GetProperty("platform").GetProperty("architecture").GetString()}",
                    m => m.GetProperty("digest").GetString()!);
            Assert.Equal(source.ManifestDigests.OrderBy(kv => kv.Key), manifests.OrderBy(kv => kv.Key));
            foreach (var (platform, digest) in manifests)
            {
                Assert.Equal(source.ManifestBytes[platform], File.ReadAllBytes(BlobPath(copyBack, digest)));
            }
        }

        var blobs = Directory.GetFiles(Path.Combine(copyBack, "blobs", "sha256"));
        Assert.Equal(source.BlobCount, blobs.Length);
        foreach (var blob in blobs)
        {
            Assert.Equal("sha256:" + Path.GetFileName(blob), TestImages.Sha256Digest(File.ReadAllBytes(blob)));
        }
    }

    private static string TaggedDigest(string layout, string tag)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        var descriptor = doc.RootElement.GetProperty("manifests").EnumerateArray().Single(m =>
            m.TryGetProperty("annotations", out var annotations) &&
            annotations.TryGetProperty(TestImages.RefNameAnnotation, out var name) &&
            name.GetString() == tag);
        Assert.Equal(TestImages.OciIndexMediaType, descriptor.GetProperty("mediaType").GetString());
        return descriptor.GetProperty("digest").GetString()!;
    }

    private static string BlobPath(string layout, string digest) =>
        Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    private async Task<ProcessResult> Skopeo(params string[] args)
    {
        string[] all = ["--insecure-policy", .. args];
        var result = await _server.WithOutputOnFailureAsync(ProcessRunner.RunAsync(_skopeo, all, _environment, TimeSpan.FromMinutes(3)));
        _output.WriteLine($"$ skopeo {string.Join(' ', all)}{Environment.NewLine}{result.StandardOutput.TrimEnd()}");
        return result;
    }
}
