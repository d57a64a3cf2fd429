using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Policies;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Policies;

/// <summary>Organization storage quotas on the /v2 write path.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task Push_SharedLayersInAnotherRepository_CostNothing_NewBlobOverQuotaIsDeniedNamingTheQuota()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var quotas = server.GetRequiredService<QuotaService>();
        var (orgId, org) = await PolicySeed.OrganizationAsync(server, "quo");
        var (json, _) = await client.PushImageAsync($"{org}/app", "v1");
        var used = (await quotas.GetAsync(orgId, org, CancellationToken.None)).UsedBytes;
        Assert.True(used > 0);

        // The quota is exactly what is used: the same content in a second repository must still fit.
        await quotas.SetAsync(Dockyard.Server.Audit.Caller.System, org, used, remove: false, CancellationToken.None);
        foreach (var blob in BlobsOf(json))
        {
            using var mount = await http.PostAsync($"/v2/{org}/copy/blobs/uploads/?mount={blob}&from={org}/app", null);
            Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        }

        using (var manifest = await client.PutManifestAsync($"{org}/copy", "v1", json, TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, manifest.StatusCode);
        }

        Assert.Equal(used, (await quotas.GetAsync(orgId, org, CancellationToken.None)).UsedBytes);

        var extra = new byte[100];
        Random.Shared.NextBytes(extra);
        using var denied = await PostBlobAsync(http, $"{org}/copy", extra);
        await ImmutabilityTests.AssertDeniedAsync(denied, $"organization \"{org}\" storage quota exceeded: {ByteSize.Format(used)} used of {ByteSize.Format(used)}; this push needs 100 B more");
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{org}/copy/blobs/{RegistryTestClient.DigestOf(extra)}"));
        Assert.Equal(used, (await quotas.GetAsync(orgId, org, CancellationToken.None)).UsedBytes);

        await using var db = await server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var refused = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Repository == $"{org}/copy" && e.Outcome == AuditOutcomes.Denied);
        Assert.Equal(AuditActions.RegistryDenied, refused.Action);
        Assert.StartsWith($"organization \"{org}\" storage quota exceeded", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestPut_OverQuota_IsDenied()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var quotas = server.GetRequiredService<QuotaService>();
        var (orgId, org) = await PolicySeed.OrganizationAsync(server, "qum");
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var layer = Encoding.UTF8.GetBytes($"layer {Guid.NewGuid():N}");
        var configDigest = await client.PushBlobAsync($"{org}/app", config);
        var layerDigest = await client.PushBlobAsync($"{org}/app", layer);
        var used = (await quotas.GetAsync(orgId, org, CancellationToken.None)).UsedBytes;
        Assert.Equal(config.Length + layer.Length, used);
        await quotas.SetAsync(Dockyard.Server.Audit.Caller.System, org, used + 10, remove: false, CancellationToken.None);

        var json = TestManifests.Image(TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length);
        using var response = await client.PutManifestAsync($"{org}/app", "v1", json, TestManifests.OciManifest);
        await ImmutabilityTests.AssertDeniedAsync(response, $"organization \"{org}\" storage quota exceeded: {used} B used of {used + 10} B; this push needs {Encoding.UTF8.GetByteCount(json)} B more");
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Head, $"/v2/{org}/app/manifests/v1"));
    }

    /// <summary>
    /// Admissions into one organization are serialized, so concurrent pushes at the boundary never overshoot: with
    /// room for exactly two of six equal blobs pushed at once, exactly two are stored and four are DENIED.
    /// </summary>
    [Fact]
    public async Task ConcurrentPushes_AtTheQuotaBoundary_NeverExceedIt()
    {
        await using var server = await InProcessDockyard.StartAsync();
        var quotas = server.GetRequiredService<QuotaService>();
        var (orgId, org) = await PolicySeed.OrganizationAsync(server, "quc");
        const int Size = 4096;
        await quotas.SetAsync(Dockyard.Server.Audit.Caller.System, org, (2 * Size) + (Size / 2), remove: false, CancellationToken.None);

        var pushes = Enumerable.Range(0, 6).Select(async i =>
        {
            using var http = server.CreateClient();
            var blob = new byte[Size];
            Random.Shared.NextBytes(blob);
            using var response = await PostBlobAsync(http, $"{org}/r{i}", blob);
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(pushes);

        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.Forbidden));
        Assert.Equal(2 * Size, (await quotas.GetAsync(orgId, org, CancellationToken.None)).UsedBytes);
    }

    private static async Task<HttpResponseMessage> PostBlobAsync(HttpClient http, string repository, byte[] content)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await http.PostAsync($"/v2/{repository}/blobs/uploads/?digest={RegistryTestClient.DigestOf(content)}", body);
    }

    private static IEnumerable<string> BlobsOf(string manifestJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(manifestJson);
        var root = document.RootElement;
        yield return root.GetProperty("config").GetProperty("digest").GetString()!;
        foreach (var layer in root.GetProperty("layers").EnumerateArray())
        {
            yield return layer.GetProperty("digest").GetString()!;
        }
    }
}
