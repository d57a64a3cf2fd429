using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Data;
using Dockyard.Server.Events;
using Dockyard.Server.Search;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Search;

/// <summary>
/// <c>/api/v1/search</c> on real Kestrel, on SQLite (FTS5) and PostgreSQL (tsvector + pg_trgm): images pushed over
/// <c>/v2</c> with labels, annotations and platforms are found by word prefixes and filters once the outbox consumer
/// has indexed them; another user's private repository never appears (nor through suggestions); deletes leave the
/// results; a rebuild restores a wiped index; bad input is 400 ProblemDetails, no credentials 401, and query syntax
/// of FTS5 / tsquery / SQL in <c>q</c> is inert.
/// </summary>
public abstract class SearchApiTests(TestDatabase database) : IAsyncLifetime
{
    private static readonly TimeSpan IndexTimeout = TimeSpan.FromSeconds(30);

    private ApiTestServer _server = null!;
    private HttpClient _alice = null!;
    private HttpClient _bob = null!;
    private HttpClient _admin = null!;
    private string _amd = null!;
    private string _arm = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(await database.CreateAsync());
        _admin = await _server.AdminAsync();
        var (aliceId, alice) = await _server.UserAsync("alice");
        var (bobId, bob) = await _server.UserAsync("bob");
        _alice = alice;
        _bob = bob;
        await _server.CreateOrganizationAsync("acme", aliceId);
        await _server.CreateOrganizationAsync("bobco", bobId);

        var aliceRegistry = await RegistryAsync("alice", "acme/webserver");
        _amd = await PushImageAsync(aliceRegistry, "acme/webserver", "1.25", "amd64", new() { ["team"] = "frontend", ["maintainer"] = "Jane Doe" },
            new() { ["org.opencontainers.image.base.name"] = "docker.io/library/alpine:3.19" });
        _arm = await PushImageAsync(aliceRegistry, "acme/webserver", "edge", "arm64", new() { ["team"] = "frontend" }, null);
        using (var described = await _alice.PatchAsync("/api/v1/repositories/acme/webserver", JsonContent("""{"description":"Static sites, served quickly"}""")))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, described);
        }

        // Bob's private repository shares a name prefix, a label and a tag prefix with Alice's.
        var bobRegistry = await RegistryAsync("bob", "bobco/webstore");
        await PushImageAsync(bobRegistry, "bobco/webstore", "1.26-secret", "amd64", new() { ["team"] = "frontend", ["codename"] = "bluebird" }, null);

        // A push after the description change re-indexes the repository with it.
        await PushImageAsync(aliceRegistry, "acme/webserver", "latest", "amd64", new() { ["team"] = "frontend" }, null);
        await WaitForAsync(_admin, "q=bluebird", "bobco/webstore");
        await WaitForAsync(_alice, "q=quickly", "acme/webserver");

        // "quickly" may come from the indexing an earlier push triggered (200 ms after it), while the last push's own
        // indexing is still to come: the tests below count its tag and wipe the index, so wait for that too.
        await SettleAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Words_AreMatchedAsPrefixesAcrossNameTagsLabelsAnnotationsDescriptionAndPlatform()
    {
        foreach (var q in new[] { "webs", "acme", "fronten", "jane", "alpi", "1.2", "edg", "arm6", "serv quick", "WEBSERVER" })
        {
            Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "q=" + Uri.EscapeDataString(q)));
        }

        Assert.Empty(await RepositoriesAsync(_alice, "q=zzz"));
        Assert.Empty(await RepositoriesAsync(_alice, "q=webs+zzz"));

        var hit = (await SearchAsync(_alice, "q=webs")).GetProperty("items")[0];
        Assert.Equal("private", hit.GetProperty("visibility").GetString());
        Assert.Equal(["latest", "edge", "1.25"], hit.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(3, hit.GetProperty("tagCount").GetInt32());
        Assert.Equal(["linux/amd64", "linux/arm64"], hit.GetProperty("platforms").EnumerateArray().Select(t => t.GetString()).Order());
        Assert.False(hit.GetProperty("signed").GetBoolean());
    }

    [Fact]
    public async Task Filters_NarrowTheResults()
    {
        Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "arch=arm64"));
        Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "q=webs&arch=amd64"));
        Assert.Empty(await RepositoriesAsync(_alice, "q=webs&arch=s390x"));
        Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "label=" + Uri.EscapeDataString("team=frontend")));
        Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "label=" + Uri.EscapeDataString("maintainer=Jane Doe")));
        Assert.Empty(await RepositoriesAsync(_alice, "label=" + Uri.EscapeDataString("team=front")));
        Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "org=acme"));
        Assert.Empty(await RepositoriesAsync(_alice, "org=bobco"));
        Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "since=2020-01-01"));
        Assert.Empty(await RepositoriesAsync(_alice, "since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))));
        Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "signed=false"));
        Assert.Empty(await RepositoriesAsync(_alice, "signed=true"));

        // A cosign signature tag (sha256-<hex>.sig) marks the image signed; the tag itself is not a searchable name.
        var registry = await RegistryAsync("alice", "acme/webserver");
        var sigTag = "sha256-" + _amd["sha256:".Length..] + ".sig";
        await PushImageAsync(registry, "acme/webserver", sigTag, "amd64", null, null);
        await WaitForAsync(_alice, "signed=true", "acme/webserver");
        Assert.Empty(await RepositoriesAsync(_alice, "signed=false"));
        var hit = (await SearchAsync(_alice, "q=webs")).GetProperty("items")[0];
        Assert.DoesNotContain(sigTag, hit.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(3, hit.GetProperty("tagCount").GetInt32());
    }

    [Fact]
    public async Task AnotherUsersPrivateRepository_NeverAppears_InResultsOrSuggestions()
    {
        // The administrator sees both: the index holds Bob's repository.
        Assert.Equal(["acme/webserver", "bobco/webstore"], (await RepositoriesAsync(_admin, "q=webs")).Order());
        Assert.Equal(["bobco/webstore"], await RepositoriesAsync(_bob, "q=webs"));

        foreach (var query in new[] { "q=webs", "q=bluebird", "q=secret", "q=1.26", "label=" + Uri.EscapeDataString("codename=bluebird"), "org=bobco", "arch=amd64", "signed=false" })
        {
            Assert.DoesNotContain("bobco/webstore", await RepositoriesAsync(_alice, query));
        }

        foreach (var q in new[] { "webs", "bluebird", "1.26", "secret", "bobco" })
        {
            using var suggestions = await _alice.GetAsync("/api/v1/search/suggestions?q=" + q);
            var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, suggestions);
            Assert.DoesNotContain("bobco", body.ToString(), StringComparison.Ordinal);
        }

        using (var own = await _bob.GetAsync("/api/v1/search/suggestions?q=1.26"))
        {
            Assert.Contains("bobco/webstore:1.26-secret", (await ProblemAssert.StatusAsync(HttpStatusCode.OK, own)).EnumerateArray().Select(s => s.GetString()));
        }

        // Permissions are applied at query time: making it public shows it at once, without re-indexing.
        using (var published = await _bob.PatchAsync("/api/v1/repositories/bobco/webstore", JsonContent("""{"visibility":"public"}""")))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, published);
        }

        Assert.Equal(["bobco/webstore"], await RepositoriesAsync(_alice, "q=bluebird"));
    }

    [Fact]
    public async Task DeletingAManifestOrTheRepository_RemovesItFromTheResults()
    {
        var registry = await RegistryAsync("alice", "acme/webserver");
        using (var deleted = await registry.Http.DeleteAsync($"/v2/acme/webserver/manifests/{_arm}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        await WaitUntilAsync(async () => (await RepositoriesAsync(_alice, "arch=arm64")).Count == 0);
        Assert.Empty(await RepositoriesAsync(_alice, "q=edg"));
        Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "q=webs"));

        using (var removed = await _alice.DeleteAsync("/api/v1/repositories/acme/webserver"))
        {
            Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync());
        }

        Assert.Empty(await RepositoriesAsync(_alice, "q=webs"));
        Assert.Equal(["bobco/webstore"], await RepositoriesAsync(_admin, "q=webs"));

        // The index row itself goes too (the removal's manifest-delete events), not only hidden by the join.
        await WaitUntilAsync(async () => !await DocumentExistsAsync("acme/webserver"));
    }

    [Fact]
    public async Task Rebuild_RestoresAWipedIndex_AsOnAnExistingDatabase()
    {
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            await db.SearchDocuments.ExecuteDeleteAsync();
            await db.SearchImages.ExecuteDeleteAsync();
            await db.DeliveryCursors.Where(c => c.Name == SearchIndexBootstrap.CursorName).ExecuteDeleteAsync();
        }

        Assert.Empty(await RepositoriesAsync(_admin, "q=webs"));

        var count = await SearchIndexBootstrap.RebuildAsync(
            _server.Get<IDbContextFactory<DockyardDbContext>>(), _server.Get<SearchIndexer>(), TimeProvider.System, CancellationToken.None);
        Assert.Equal(2, count);
        Assert.Equal(["acme/webserver", "bobco/webstore"], (await RepositoriesAsync(_admin, "q=webs")).Order());
        Assert.Equal(["acme/webserver"], await RepositoriesAsync(_alice, "label=" + Uri.EscapeDataString("team=frontend")));
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            Assert.True(await db.DeliveryCursors.AnyAsync(c => c.Name == SearchIndexBootstrap.CursorName));
        }
    }

    // Events only mark repositories (SearchIndexQueue); what a dead process marked and never indexed is found at the
    // next start by comparing rows with the tags: a missing row, a row older than its tags, a tag count that differs.
    [Fact]
    public async Task Stale_FindsRowsBehindTheirTags_AndNothingWhenCurrent()
    {
        var contexts = _server.Get<IDbContextFactory<DockyardDbContext>>();
        async Task<List<string>> StaleAsync()
        {
            await using var db = await contexts.CreateDbContextAsync();
            return await SearchIndexQueue.StaleAsync(db, CancellationToken.None);
        }

        // The last push's event may still be on its way (the set-up waits for words an earlier indexing already had).
        await WaitUntilAsync(async () => (await StaleAsync()).Count == 0);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.SearchDocuments.Where(d => d.Repository == "bobco/webstore").ExecuteDeleteAsync();
            await db.SearchDocuments.Where(d => d.Repository == "acme/webserver").ExecuteUpdateAsync(s => s.SetProperty(d => d.TagCount, 1));
            Assert.Equal(["acme/webserver", "bobco/webstore"], (await StaleAsync()).Order());
        }

        foreach (var repository in new[] { "acme/webserver", "bobco/webstore" })
        {
            _server.Get<SearchIndexQueue>().Mark(repository);
        }

        await WaitForAsync(_admin, "q=bluebird", "bobco/webstore");
        await WaitUntilAsync(async () => (await StaleAsync()).Count == 0);
    }

    [Fact]
    public async Task BadInput_Is400ProblemDetails_NamingTheParameter()
    {
        (string Query, string Field)[] cases =
        [
            ("", "q"), ("q=***", "q"), ("q=%22%22", "q"), ("label=team", "label"), ("label=%3Dx", "label"), ("since=yesterday", "since"),
            ("signed=maybe", "signed"), ("arch=amd64%3B", "arch"), ("org=a%2Fb", "org"), ("q=web&limit=0", "limit"), ("q=web&limit=101", "limit"),
            ("q=web&offset=-1", "offset"), ("q=" + new string('a', SearchRequest.MaxQueryLength + 1), "q"),
        ];
        foreach (var (query, field) in cases)
        {
            using var response = await _alice.GetAsync("/api/v1/search?" + query);
            await ProblemAssert.InvalidAsync(field, response);
        }

        using var malformed = await _alice.GetAsync("/api/v1/search?q=web&limit=abc");
        await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, malformed);
    }

    [Fact]
    public async Task WithoutCredentials_Is401_AndBadCredentials_Too()
    {
        using var anonymous = await _server.Anonymous().GetAsync("/api/v1/search?q=webs");
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, anonymous);
        using var suggestions = await _server.Anonymous().GetAsync("/api/v1/search/suggestions?q=webs");
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, suggestions);
        using var wrong = await _server.WithBearer("dy_not_a_token").GetAsync("/api/v1/search?q=webs");
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, wrong);

        var raw = await RawHttp.SendAsync(_server.Server.BaseAddress, "GET", "/api/v1/search?q=webs");
        Assert.Equal(HttpStatusCode.Unauthorized, raw.Status);
    }

    [Fact]
    public async Task QuerySyntaxInQ_IsInert()
    {
        string[] queries =
        [
            "\"webs", "webs\"", "\"webs\" OR \"bluebird\"", "webs*", "*", "NEAR(webs bluebird)", "webs NEAR bluebird", "webs -bluebird", "-webs",
            "name_words:webs", "{name_words tag_words}:webs", "webs:*", "webs & !bluebird | secret", "webs' OR '1'='1",
            "webs'; DROP TABLE search_documents; --", "^webs", "webs\\", "web\u0000s", "webs)", "(webs", "webs AND bluebird", "NOT bluebird",
        ];
        foreach (var q in queries)
        {
            using var response = await _alice.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(q));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{q}: {(int)response.StatusCode}: {text}");
            Assert.DoesNotContain("bobco", text, StringComparison.Ordinal);
            if (response.StatusCode == HttpStatusCode.OK && SearchText.QueryWords(q).All(w => "webserver".StartsWith(w, StringComparison.Ordinal)))
            {
                Assert.Contains("acme/webserver", text, StringComparison.Ordinal);
            }
        }

        // Nothing was dropped or rewritten: the index answers as before.
        Assert.Equal(["acme/webserver", "bobco/webstore"], (await RepositoriesAsync(_admin, "q=webs")).Order());

        // Raw request lines: unescaped quotes and stars, a broken escape, the parameter twice.
        string[] targets =
        [
            "/api/v1/search?q=\"webs\"*", "/api/v1/search?q=webs*%20NEAR(\"a\"%20b)", "/api/v1/search?q=webs'--&label=a=b=c",
            "/api/v1/search?q=%ZZwebs", "/api/v1/search?q=webs&q=bluebird", "/api/v1/search/suggestions?q=\"b*",
        ];
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:alice-password!"));
        foreach (var target in targets)
        {
            var raw = await RawHttp.SendAsync(_server.Server.BaseAddress, "GET", target, [("Authorization", basic)]);
            Assert.True(raw.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{target}: {(int)raw.Status}: {raw.Body}");
            Assert.DoesNotContain("bobco", raw.Body, StringComparison.Ordinal);
        }
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<bool> DocumentExistsAsync(string repository)
    {
        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return await db.SearchDocuments.AnyAsync(d => d.Repository == repository);
    }

    private static async Task<JsonElement> SearchAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/v1/search?" + query);
        return await ProblemAssert.StatusAsync(HttpStatusCode.OK, response);
    }

    private static async Task<List<string>> RepositoriesAsync(HttpClient client, string query) =>
        [.. (await SearchAsync(client, query)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("repository").GetString()!)];

    /// <summary>Until every outbox event so far was handed to the search consumer and what it marked was indexed.</summary>
    private async Task SettleAsync()
    {
        var contexts = _server.Get<IDbContextFactory<DockyardDbContext>>();
        var queue = _server.Get<SearchIndexQueue>();
        await WaitUntilAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var last = await db.RegistryOutbox.MaxAsync(r => (long?)r.Id) ?? 0;
            var cursor = await db.DeliveryCursors.Where(c => c.Name == RegistryOutboxDispatcher.CursorName).Select(c => c.Position).FirstOrDefaultAsync();

            // The cursor moves after its events were handed over, so once it is past the last event, Idle covers them all.
            return cursor >= last && queue.Idle;
        });
    }

    private static Task WaitForAsync(HttpClient client, string query, string repository) =>
        WaitUntilAsync(async () => (await RepositoriesAsync(client, query)).Contains(repository));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + IndexTimeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the search index did not catch up in time");
            await Task.Delay(100);
        }
    }

    /// <summary>A /v2 client with a token for <paramref name="repository"/> (pull, push, delete) as a seeded user.</summary>
    private async Task<RegistryTestClient> RegistryAsync(string username, string repository)
    {
        var http = _server.WithBasic(username, username + "-password!");
        using var issued = await http.GetAsync($"/auth/token?service=dockyard&scope={Uri.EscapeDataString($"repository:{repository}:pull,push,delete")}");
        var token = (await ProblemAssert.StatusAsync(HttpStatusCode.OK, issued)).GetProperty("token").GetString()!;
        var client = _server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new RegistryTestClient(client);
    }

    /// <summary>Pushes an OCI image whose config has the platform and labels, with manifest annotations; returns its digest.</summary>
    internal static async Task<string> PushImageAsync(
        RegistryTestClient registry, string repository, string tag, string architecture, Dictionary<string, string>? labels, Dictionary<string, string>? annotations)
    {
        var config = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            architecture,
            os = "linux",
            config = new { Labels = labels ?? [], Cmd = new[] { "/app" } },
            rootfs = new { type = "layers", diff_ids = Array.Empty<string>() },
        }));
        var layer = Encoding.UTF8.GetBytes($"{repository}:{tag}:{architecture}");
        var json = TestManifests.Image(
            TestManifests.OciManifest, await registry.PushBlobAsync(repository, config), config.Length, await registry.PushBlobAsync(repository, layer), layer.Length,
            annotations: annotations);
        using var put = await registry.PutManifestAsync(repository, tag, json, TestManifests.OciManifest);
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        return put.Headers.GetValues("Docker-Content-Digest").Single();
    }
}

public sealed class SqliteSearchApiTests() : SearchApiTests(TestDatabase.Sqlite);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSearchApiTests(PostgresFixture postgres) : SearchApiTests(TestDatabase.Postgres(postgres));
