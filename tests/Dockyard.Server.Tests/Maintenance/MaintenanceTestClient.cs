using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Audit;
using Dockyard.Server.Jobs;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>Pushes images with known bytes, pulls them back completely, and runs gc and fsck in a test server.</summary>
internal sealed class MaintenanceTestClient(InProcessDockyard server, HttpClient http)
{
    public RegistryTestClient Registry { get; } = new(http);

    public HttpClient Http => http;

    /// <summary>A server on a fake clock, without the scheduled collection (advancing the clock would trigger it).</summary>
    public static Task<InProcessDockyard> StartWithClockAsync(TimeProvider time) => InProcessDockyard.StartAsync(
        configure: b => b.Services.AddSingleton(time),
        settings: new Dictionary<string, string?> { ["Dockyard:GarbageCollection:Enabled"] = "false" });

    public static byte[] Unique(string label) => Encoding.UTF8.GetBytes($"{label} {Guid.NewGuid():N}");

    /// <summary>Pushes config and layer (skipping neither: a re-upload of existing content must work too), then the manifest.</summary>
    public async Task<PushedImage> PushImageAsync(string repository, string? tag, byte[] config, byte[] layer, (string Digest, long Size)? subject = null)
    {
        var configDigest = await Registry.PushBlobAsync(repository, config);
        var layerDigest = await Registry.PushBlobAsync(repository, layer);
        var json = TestManifests.Image(TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length, subject?.Digest, subject?.Size ?? 0, subject is null ? null : "application/vnd.example.signature");
        var body = Encoding.UTF8.GetBytes(json);
        var digest = RegistryTestClient.DigestOf(body);
        using var response = await Registry.PutManifestAsync(repository, tag ?? digest, json, TestManifests.OciManifest);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"push {repository}:{tag ?? digest}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return new PushedImage(repository, digest, body.Length, configDigest, config.Length, layerDigest, layer.Length);
    }

    /// <summary>Pushes an index of the given manifests.</summary>
    public async Task<(string Digest, long Size)> PushIndexAsync(string repository, string? tag, params PushedImage[] children)
    {
        var json = TestManifests.Index(TestManifests.OciIndex, [.. children.Select(c => (c.Digest, (long)c.Size, TestManifests.OciManifest, "amd64"))]);
        var digest = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json));
        using var response = await Registry.PutManifestAsync(repository, tag ?? digest, json, TestManifests.OciIndex);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (digest, Encoding.UTF8.GetByteCount(json));
    }

    public async Task DeleteManifestAsync(string repository, string digest)
    {
        using var response = await http.DeleteAsync($"/v2/{repository}/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>GETs the manifest by <paramref name="reference"/> and every blob it names, checking each one's digest.</summary>
    public async Task PullCompletelyAsync(string repository, string reference)
    {
        using var response = await http.GetAsync($"/v2/{repository}/manifests/{reference}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"pull {repository}:{reference}: {(int)response.StatusCode}");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(response.Headers.GetValues("Docker-Content-Digest").Single(), RegistryTestClient.DigestOf(body));
        using var document = JsonDocument.Parse(body);
        var blobs = new List<string>();
        if (document.RootElement.TryGetProperty("config", out var config))
        {
            blobs.Add(config.GetProperty("digest").GetString()!);
        }

        if (document.RootElement.TryGetProperty("layers", out var layers))
        {
            blobs.AddRange(layers.EnumerateArray().Select(l => l.GetProperty("digest").GetString()!));
        }

        foreach (var blob in blobs)
        {
            using var blobResponse = await http.GetAsync($"/v2/{repository}/blobs/{blob}");
            Assert.True(blobResponse.StatusCode == HttpStatusCode.OK, $"pull {repository} blob {blob}: {(int)blobResponse.StatusCode}");
            Assert.Equal(blob, RegistryTestClient.DigestOf(await blobResponse.Content.ReadAsByteArrayAsync()));
        }
    }

    public string BlobFile(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(server.DataDirectory, "storage", "blobs", "sha256", hex[..2], hex);
    }

    public async Task<GarbageCollectionResult> CollectAsync(GarbageCollectionRequest request)
    {
        var result = await server.GetRequiredService<GarbageCollectionRunner>().RunAsync(request, Caller.System, CancellationToken.None);
        Assert.NotNull(result);
        return result;
    }

    public async Task<IntegrityReport> FsckAsync(bool verifyDigests = true)
    {
        var report = await server.GetRequiredService<IntegrityChecker>().CheckAsync(new IntegrityCheckRequest { VerifyDigests = verifyDigests }, CancellationToken.None);
        Assert.True(report.IsClean, "fsck: " + string.Join("\n", report.Problems));
        return report;
    }

    public static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
