using System.CommandLine;
using System.Net;
using System.Text.Json;
using Dockyard.Server.Cli;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Data.Sqlite;

namespace Dockyard.Server.Tests.Cli;

public sealed class ReindexCommandTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("dockyard-reindex-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Reindex_AfterDatabaseLoss_RestoresTagsManifestsBlobsAndReferrers()
    {
        string appDigest, indexDigest, referrerDigest, toolsDigest;
        Snapshot before;
        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: _dataDirectory))
        {
            using var http = server.CreateClient();
            var client = new RegistryTestClient(http);
            (_, appDigest) = await client.PushImageAsync("library/app", "v1");
            var (_, armDigest) = await client.PushImageAsync("library/app", "arm");
            using (var tagV2 = await client.PutManifestAsync("library/app", "v2", await GetManifestAsync(http, "library/app", appDigest), TestManifests.OciManifest))
            {
                Assert.Equal(HttpStatusCode.Created, tagV2.StatusCode);
            }

            var appSize = (await GetManifestAsync(http, "library/app", appDigest)).Length;
            var armSize = (await GetManifestAsync(http, "library/app", armDigest)).Length;
            var index = TestManifests.Index(TestManifests.OciIndex, (appDigest, appSize, TestManifests.OciManifest, "amd64"), (armDigest, armSize, TestManifests.OciManifest, "arm64"));
            using (var response = await client.PutManifestAsync("library/app", "multi", index, TestManifests.OciIndex))
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                indexDigest = response.Headers.GetValues("Docker-Content-Digest").Single();
            }

            referrerDigest = await PushReferrerAsync(client, "library/app", appDigest, appSize);
            (_, toolsDigest) = await client.PushImageAsync("team/tools/cli", "latest", TestManifests.DockerManifest);
            using (var deleted = await http.DeleteAsync("/v2/library/app/manifests/arm"))
            {
                Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
            }

            before = await Snapshot.TakeAsync(http, appDigest);
        }

        // Pooled connections would keep the deleted database file open; a new process would not have them.
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(_dataDirectory, "dockyard.db*"))
        {
            File.Delete(file);
        }

        var output = new StringWriter();
        var root = new RootCommand { ReindexCommand.Create() };
        var exitCode = await root.Parse(["reindex", "--data", _dataDirectory]).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });

        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("reindex: 1 repositories", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("reindex done: 2 repositories, 5 manifests, 4 tags", output.ToString(), StringComparison.Ordinal);

        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: _dataDirectory))
        {
            using var http = server.CreateClient();
            var after = await Snapshot.TakeAsync(http, appDigest);
            Assert.Equal(before, after);
            Assert.Equal(["multi", "v1", "v2"], after.AppTags);
            Assert.Equal(indexDigest, after.MultiDigest);
            Assert.Equal([referrerDigest], after.Referrers);
            using var tools = await http.GetAsync($"/v2/team/tools/cli/manifests/{toolsDigest}");
            Assert.Equal(HttpStatusCode.OK, tools.StatusCode);
        }
    }

    private static async Task<string> GetManifestAsync(HttpClient http, string repository, string reference)
    {
        using var response = await http.GetAsync($"/v2/{repository}/manifests/{reference}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> PushReferrerAsync(RegistryTestClient client, string repository, string subject, long subjectSize)
    {
        var config = "{}"u8.ToArray();
        var layer = "signature bytes"u8.ToArray();
        var configDigest = await client.PushBlobAsync(repository, config);
        var layerDigest = await client.PushBlobAsync(repository, layer);
        var json = TestManifests.Image(TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length, subject, subjectSize, "application/vnd.example.signature");
        using var response = await client.PutManifestAsync(repository, RegistryTestClient.DigestOf(System.Text.Encoding.UTF8.GetBytes(json)), json, TestManifests.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    /// <summary>What a client can observe of the registry, compared before the loss and after the rebuild.</summary>
    private sealed record Snapshot(string AppTagsJoined, string MultiDigest, string V1Digest, string V2Digest, string ReferrersJoined, string Catalog, bool ArmTagGone)
    {
        public string[] AppTags => AppTagsJoined.Split(',');

        public string[] Referrers => ReferrersJoined.Split(',', StringSplitOptions.RemoveEmptyEntries);

        public static async Task<Snapshot> TakeAsync(HttpClient http, string appDigest)
        {
            using var tags = JsonDocument.Parse(await http.GetStringAsync("/v2/library/app/tags/list"));
            using var referrers = JsonDocument.Parse(await http.GetStringAsync($"/v2/library/app/referrers/{appDigest}"));
            using var catalog = JsonDocument.Parse(await http.GetStringAsync("/v2/_catalog"));
            using var arm = await http.GetAsync("/v2/library/app/manifests/arm");
            return new Snapshot(
                string.Join(',', tags.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString())),
                await DigestOfAsync(http, "multi"),
                await DigestOfAsync(http, "v1"),
                await DigestOfAsync(http, "v2"),
                string.Join(',', referrers.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString())),
                string.Join(',', catalog.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString())),
                arm.StatusCode == HttpStatusCode.NotFound);
        }

        private static async Task<string> DigestOfAsync(HttpClient http, string tag)
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/library/app/manifests/{tag}");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return response.Headers.GetValues("Docker-Content-Digest").Single();
        }
    }
}
