using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Audit;
using Dockyard.Server.Tests.Maintenance;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Api;

/// <summary>
/// <c>POST /api/v1/repositories</c> (create before the first push), <c>DELETE /api/v1/repositories/{name}</c> and
/// <c>DELETE /api/v1/orgs/{org}?deleteRepositories=true</c>: who may, what each answers, what is recorded, and what
/// garbage collection reclaims afterwards (only what the deleted repository alone held).
/// </summary>
public sealed class RepositoryLifecycleApiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _owner = null!;
    private HttpClient _reader = null!;
    private HttpClient _outsider = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:GarbageCollection:Enabled"] = "false" });
        var (ownerId, owner) = await _server.UserAsync("olga");
        var acme = await _server.CreateOrganizationAsync("acme", ownerId);
        var (_, reader) = await _server.UserAsync("rita");
        await _server.AddMemberAsync(acme, "rita");
        var (_, outsider) = await _server.UserAsync("mallory");
        (_owner, _reader, _outsider) = (owner, reader, outsider);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_AsOwner_CreatesOnceAndConflictsAfterwards()
    {
        using var created = await _owner.PostAsJsonAsync("/api/v1/repositories", new { name = "acme/app", visibility = "public", description = "The app." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/repositories/acme/app", created.Headers.Location?.OriginalString);
        using (var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()))
        {
            Assert.Equal(("acme/app", "public", "The app."), (body.RootElement.GetProperty("name").GetString(), body.RootElement.GetProperty("visibility").GetString(), body.RootElement.GetProperty("description").GetString()));
        }

        using var again = await _owner.PostAsJsonAsync("/api/v1/repositories", new { name = "acme/app" });
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "already exists");

        var entries = (await AuditTestServer.EntriesAfterAsync(_server.Server.Services, 0)).Where(e => e is { Action: "repository.create", Repository: "acme/app" }).ToList();
        Assert.Equal(["success", "failed"], entries.Select(e => e.Outcome));
        Assert.All(entries, e => Assert.Equal("olga", e.ActorName));
        Assert.Equal("repositories/acme/app", entries[0].Resource);
    }

    [Fact]
    public async Task Create_Refusals_401_403_400()
    {
        using var anonymous = await _server.Anonymous().PostAsJsonAsync("/api/v1/repositories", new { name = "acme/anon" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var outsider = await _outsider.PostAsJsonAsync("/api/v1/repositories", new { name = "acme/sneaky" });
        await AssertProblemAsync(outsider, HttpStatusCode.Forbidden, "may not create repositories in 'acme'");

        // A member with no write role may not create either: the rule is the first push's.
        using var reader = await _reader.PostAsJsonAsync("/api/v1/repositories", new { name = "acme/readers" });
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);

        using var invalid = await _owner.PostAsJsonAsync("/api/v1/repositories", new { name = "acme/Bad..Name" });
        await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "lowercase");
        using var visibility = await _owner.PostAsJsonAsync("/api/v1/repositories", new { name = "acme/x", visibility = "secret" });
        await AssertProblemAsync(visibility, HttpStatusCode.BadRequest, "public or private");

        await using var db = await Db();
        Assert.False(await db.Repositories.AnyAsync(r => r.Name == "acme/sneaky" || r.Name == "acme/readers" || r.Name == "acme/x"));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "repository.create" && e.ActorName == "mallory" && e.Outcome == "denied"));
    }

    [Fact]
    public async Task Delete_Refusals_404_403_ThenOwnerDeletesAndAPushStartsAFreshRepository()
    {
        await CreateAsync("acme/doomed", "public");
        using (var grant = await _owner.PutAsJsonAsync("/api/v1/repositories/acme/doomed/permissions/users/rita", new { role = "read" }))
        {
            Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        }

        var registry = await RegistryAsync("acme/doomed");
        await registry.PushImageAsync("acme/doomed", "v1", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));

        using (var unknown = await _owner.DeleteAsync("/api/v1/repositories/acme/nothing-here"))
        {
            await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "not found");
        }

        using (var outsider = await _outsider.DeleteAsync("/api/v1/repositories/acme/doomed"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, outsider.StatusCode); // public: seen, but not administered
        }

        using (var reader = await _reader.DeleteAsync("/api/v1/repositories/acme/doomed"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        }

        using (var anonymous = await _server.Anonymous().DeleteAsync("/api/v1/repositories/acme/doomed"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var deleted = await _owner.DeleteAsync("/api/v1/repositories/acme/doomed"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await _owner.GetAsync("/api/v1/repositories/acme/doomed"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, await registry.Registry.StatusOfAsync(HttpMethod.Get, "/v2/acme/doomed/manifests/v1"));
        Assert.False(Directory.Exists(Path.Combine(_server.Server.DataDirectory, "storage", "repositories", "acme", "doomed", "_tags")));
        await using (var db = await Db())
        {
            Assert.False(await db.RepositoryPermissions.AnyAsync(p => p.Repository == "acme/doomed"));
            Assert.False(await db.Tags.AnyAsync(t => t.Repository == "acme/doomed"));
            Assert.False(await db.BlobLinks.AnyAsync(l => l.Repository == "acme/doomed"));
            var delete = await db.AuditEntries.SingleAsync(e => e.Action == "repository.delete" && e.Outcome == "success");
            Assert.Equal(("olga", "acme/doomed", "repositories/acme/doomed"), (delete.ActorName, delete.Repository, delete.Resource));
            Assert.Contains("\"tags\":1", delete.Details, StringComparison.Ordinal);
            Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.Action == "repository.delete" && e.Outcome == "denied")); // outsider, reader, anonymous
            Assert.True(await db.RegistryOutbox.AnyAsync(o => o.Repository == "acme/doomed"));
        }

        // The same name again: a new repository with the defaults (private, no grants), created by the push.
        await registry.PushImageAsync("acme/doomed", "v2", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
        await using (var db = await Db())
        {
            var fresh = await db.Repositories.SingleAsync(r => r.Name == "acme/doomed");
            Assert.Equal(RepositoryVisibility.Private, fresh.Visibility);
            Assert.False(await db.RepositoryPermissions.AnyAsync(p => p.Repository == "acme/doomed"));
            Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "repository.create" && e.Repository == "acme/doomed" && e.Outcome == "success"));
        }
    }

    [Fact]
    public async Task Delete_ThenGc_ReclaimsOnlyWhatTheRepositoryAloneHeld()
    {
        var registry = await RegistryAsync("acme/one", "acme/two");
        var sharedLayer = MaintenanceTestClient.Unique("shared layer");
        var one = await registry.PushImageAsync("acme/one", "v1", MaintenanceTestClient.Unique("config one"), sharedLayer);
        var two = await registry.PushImageAsync("acme/two", "v1", MaintenanceTestClient.Unique("config two"), sharedLayer);
        Assert.Equal(one.LayerDigest, two.LayerDigest);

        using (var deleted = await _owner.DeleteAsync("/api/v1/repositories/acme/one"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var result = await registry.CollectAsync(new GarbageCollectionRequest { Grace = TimeSpan.Zero });

        Assert.True(result.BlobsDeleted >= 2, $"deleted {result.BlobsDeleted} blobs");
        Assert.False(File.Exists(registry.BlobFile(one.ConfigDigest)), "the config only acme/one held is still stored");
        Assert.False(File.Exists(registry.BlobFile(one.Digest)), "the manifest only acme/one held is still stored");
        Assert.True(File.Exists(registry.BlobFile(two.LayerDigest)), "the shared layer was collected");
        await registry.PullCompletelyAsync("acme/two", "v1");
        using var layer = await registry.Http.GetAsync($"/v2/acme/two/blobs/{two.LayerDigest}");
        Assert.Equal(sharedLayer, await layer.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task DeleteOrganization_WithRepositories_RefusedWithCountUnlessAskedToDeleteThem()
    {
        var ownerId = await _server.UserIdAsync("olga");
        await _server.CreateOrganizationAsync("tmp", ownerId);
        await CreateAsync("tmp/a", "private");
        var registry = await RegistryAsync("tmp/b");
        await registry.PushImageAsync("tmp/b", "v1", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));

        using (var refused = await _owner.DeleteAsync("/api/v1/orgs/tmp"))
        {
            await AssertProblemAsync(refused, HttpStatusCode.Conflict, "still has 2 repositories");
        }

        using (var reader = await _reader.DeleteAsync("/api/v1/orgs/tmp?deleteRepositories=true"))
        {
            Assert.Equal(HttpStatusCode.NotFound, reader.StatusCode); // not a member of tmp: it does not exist for her
        }

        using (var deleted = await _owner.DeleteAsync("/api/v1/orgs/tmp?deleteRepositories=true"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await using var db = await Db();
        Assert.False(await db.Organizations.AnyAsync(o => o.Name == "tmp"));
        Assert.False(await db.Repositories.AnyAsync(r => r.Name.StartsWith("tmp/")));
        Assert.Equal(["tmp/a", "tmp/b"], await db.AuditEntries.Where(e => e.Action == "repository.delete" && e.Outcome == "success").OrderBy(e => e.Id).Select(e => e.Repository!).ToListAsync());
        var orgDelete = await db.AuditEntries.Where(e => e.Action == "org.delete").OrderBy(e => e.Id).Select(e => new { e.Outcome, e.Details }).ToListAsync();
        Assert.Equal(["failed", "denied", "success"], orgDelete.Select(e => e.Outcome));
        Assert.Contains("\"repositories\":2", orgDelete[^1].Details, StringComparison.Ordinal);
    }

    private async Task CreateAsync(string name, string visibility)
    {
        using var created = await _owner.PostAsJsonAsync("/api/v1/repositories", new { name, visibility });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    /// <summary>A /v2 client with a registry token for olga (pull, push, delete on the repositories).</summary>
    private async Task<MaintenanceTestClient> RegistryAsync(params string[] repositories)
    {
        var http = _server.Server.CreateClient();
        var scopes = string.Concat(repositories.Select(r => $"&scope=repository:{r}:pull,push,delete"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/auth/token?service=dockyard{scopes}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("olga:olga-password!")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", document.RootElement.GetProperty("token").GetString());
        return new MaintenanceTestClient(_server.Server, http);
    }

    private async Task<DockyardDbContext> Db() =>
        await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, body, StringComparison.Ordinal);
    }
}
