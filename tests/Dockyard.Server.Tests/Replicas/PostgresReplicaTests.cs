using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Registry;
using Dockyard.Registry.Storage;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Policies;
using Dockyard.Server.Tests.Audit;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Policies;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// Two replicas (two apps) sharing one PostgreSQL database and one storage directory, as a scaled-out deployment
/// shares PostgreSQL and object storage: what one process's locks used to guarantee must hold across both.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresReplicaTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly TempDirectory _data = new("replicas");
    private InProcessDockyard _first = null!;
    private InProcessDockyard _second = null!;

    public async Task InitializeAsync()
    {
        var settings = await TestDatabase.Postgres(postgres).CreateAsync();
        _first = await InProcessDockyard.StartAsync(dataDirectory: _data.Path, settings: settings);
        _second = await InProcessDockyard.StartAsync(dataDirectory: _data.Path, settings: settings);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Put_FiftyConcurrentManifestsToOneTagAcrossTwoReplicas_TagRowAndStorageLinkAgree()
    {
        var clients = new[] { new RegistryTestClient(_first.CreateClient()), new RegistryTestClient(_second.CreateClient()) };
        var repository = RegistryTestClient.UniqueRepository("replicas");
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var configDigest = await clients[0].PushBlobAsync(repository, config);
        var layer = Encoding.UTF8.GetBytes("shared layer");
        var layerDigest = await clients[1].PushBlobAsync(repository, layer);
        var documents = Enumerable.Range(0, 50)
            .Select(i => TestManifests.Image(
                TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length,
                annotations: new Dictionary<string, string> { ["n"] = i.ToString(CultureInfo.InvariantCulture) }))
            .ToArray();

        var results = await Task.WhenAll(documents.Select(async (json, i) =>
        {
            using var response = await clients[i % 2].PutManifestAsync(repository, "race", json, TestManifests.OciManifest);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
            return response.Headers.GetValues("Docker-Content-Digest").Single();
        }));

        Assert.Equal(documents.Select(d => RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(d))), results);
        var tagged = new List<string>();
        foreach (var client in clients)
        {
            using var response = await client.Http.GetAsync($"/v2/{repository}/manifests/race");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            tagged.Add(response.Headers.GetValues("Docker-Content-Digest").Single());
        }

        Assert.Equal(tagged[0], tagged[1]);
        Assert.Contains(tagged[0], results);

        // The storage link is what reindex would rebuild the tag from: it must name the row's manifest.
        var storage = _first.GetRequiredService<IStorageDriver>();
        var link = await storage.GetContentAsync(StoragePaths.TagLink(RepositoryName.Parse(repository), "race"), CancellationToken.None);
        Assert.NotNull(link);
        Assert.Equal(tagged[0], Encoding.UTF8.GetString(link));
    }

    [Fact]
    public async Task Delete_TagWhilePushingFromOtherReplica_TagRowAndStorageLinkAgree()
    {
        var clients = new[] { new RegistryTestClient(_first.CreateClient()), new RegistryTestClient(_second.CreateClient()) };
        var repository = RegistryTestClient.UniqueRepository("replicas");
        var (json, _) = await clients[0].PushImageAsync(repository, "seed");
        var link = StoragePaths.TagLink(RepositoryName.Parse(repository), "flip");
        var storage = _first.GetRequiredService<IStorageDriver>();
        for (var round = 0; round < 10; round++)
        {
            var put = clients[0].PutManifestAsync(repository, "flip", json, TestManifests.OciManifest);
            var delete = clients[1].Http.DeleteAsync($"/v2/{repository}/manifests/flip");
            using (var putResponse = await put)
            using (var deleteResponse = await delete)
            {
                Assert.Equal(HttpStatusCode.Created, putResponse.StatusCode);
                Assert.Contains(deleteResponse.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.NotFound });
            }

            var rowExists = (await clients[1].TagsAsync(repository))!.Contains("flip");
            var linkExists = await storage.GetContentAsync(link, CancellationToken.None) is not null;
            Assert.True(rowExists == linkExists, $"round {round}: tag row {(rowExists ? "present" : "absent")}, storage link {(linkExists ? "present" : "absent")}");
        }
    }

    [Fact]
    public async Task Append_TwoReplicasWritingTheAuditChainConcurrently_VerifiesClean()
    {
        var writers = new[] { _first.GetRequiredService<AuditWriter>(), _second.GetRequiredService<AuditWriter>() };
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => writers[i % 2].AppendAsync(
            [.. Enumerable.Range(0, 25).Select(n => AuditChainTests.Entry(start.AddSeconds((i * 25) + n)))],
            CancellationToken.None)));

        await using (var db = await _second.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            var ids = await db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
            Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);
            Assert.True(ids.Count >= 400, $"{ids.Count} entries");
        }

        var result = await _first.GetRequiredService<AuditVerifier>().VerifyAsync(null, CancellationToken.None);
        Assert.True(result.Ok, result.Reason);
    }

    /// <summary>
    /// The quota admission gate is the shared <c>quota:&lt;org&gt;</c> lock, not a per-process one: with room for exactly
    /// one of six equal blobs pushed at once, half through each replica, exactly one is stored — in each of several
    /// organizations, since a per-process gate overshoots only when both replicas check before either links.
    /// </summary>
    [Fact]
    public async Task Quota_ConcurrentPushesThroughTwoReplicasAtTheBoundary_NeverExceedIt()
    {
        const int Size = 4096;
        var quotas = _first.GetRequiredService<QuotaService>();
        var replicas = new[] { _first, _second };
        for (var round = 0; round < 6; round++)
        {
            var (orgId, org) = await PolicySeed.OrganizationAsync(_first, "qur");
            await quotas.SetAsync(Dockyard.Server.Audit.Caller.System, org, Size + (Size / 2), remove: false, CancellationToken.None);
            _second.GetRequiredService<PolicyCache>().Invalidate();

            var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
            {
                using var http = replicas[i % 2].CreateClient();
                var blob = new byte[Size];
                Random.Shared.NextBytes(blob);
                using var body = new ByteArrayContent(blob);
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await http.PostAsync($"/v2/{org}/r{i}/blobs/uploads/?digest={RegistryTestClient.DigestOf(blob)}", body);
                return response.StatusCode;
            }));

            Assert.True(statuses.Count(s => s == HttpStatusCode.Created) == 1, $"round {round}: {string.Join(", ", statuses)}");
            Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Forbidden));
            Assert.Equal(Size, (await quotas.GetAsync(orgId, org, CancellationToken.None)).UsedBytes);
        }
    }
}
