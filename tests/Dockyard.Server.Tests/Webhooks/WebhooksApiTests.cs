using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Api;

namespace Dockyard.Server.Tests.Webhooks;

public sealed class WebhooksApiTests : IAsyncLifetime
{
    private const string OrgHooks = "/api/v1/orgs/prod/webhooks";
    private const string RepoHooks = "/api/v1/repositories/prod/tools/cli/webhooks";

    private ApiTestServer _server = null!;
    private HttpClient _owner = null!;
    private HttpClient _member = null!;
    private HttpClient _outsider = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        long ownerId;
        (ownerId, _owner) = await _server.UserAsync("owner");
        var org = await _server.CreateOrganizationAsync("prod", ownerId, RepositoryRole.Read);
        (_, _member) = await _server.UserAsync("member");
        await _server.AddMemberAsync(org, "member");
        (_, _outsider) = await _server.UserAsync("outsider");
        await _server.CreateRepositoryAsync("prod/tools/cli");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(OrgHooks)]
    [InlineData(RepoHooks)]
    public async Task Crud_SecretShownOnlyAtCreationAndRotation(string collection)
    {
        using var created = await _owner.PostAsJsonAsync(collection, new { url = "http://127.0.0.1:9/hook", description = "CI" });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        var id = body.GetProperty("id").GetInt64();
        Assert.Matches("^[0-9a-f]{64}$", body.GetProperty("secret").GetString());
        Assert.Equal(["push", "tag", "delete"], body.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.True(body.GetProperty("enabled").GetBoolean());
        Assert.Equal($"{collection}/{id}", created.Headers.Location!.OriginalString);

        var listed = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync(collection));
        Assert.False(listed.EnumerateArray().Single().TryGetProperty("secret", out _));
        var got = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync($"{collection}/{id}"));
        Assert.False(got.TryGetProperty("secret", out _));
        Assert.Equal("CI", got.GetProperty("description").GetString());

        using var updated = await _owner.PatchAsJsonAsync($"{collection}/{id}", new { events = new[] { "pull" }, enabled = false, secret = "a-new-secret-of-enough-length" });
        var changed = await ProblemAssert.StatusAsync(HttpStatusCode.OK, updated);
        Assert.False(changed.TryGetProperty("secret", out _));
        Assert.Equal(["pull"], changed.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.False(changed.GetProperty("enabled").GetBoolean());

        using var rotated = await _owner.PatchAsJsonAsync($"{collection}/{id}", new { rotateSecret = true });
        Assert.Matches("^[0-9a-f]{64}$", (await ProblemAssert.StatusAsync(HttpStatusCode.OK, rotated)).GetProperty("secret").GetString());

        Assert.Empty((await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync($"{collection}/{id}/deliveries"))).EnumerateArray());
        using var deleted = await _owner.DeleteAsync($"{collection}/{id}");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, deleted);
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.GetAsync($"{collection}/{id}"));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook", "url")]
    [InlineData("file:///etc/passwd", "url")]
    [InlineData("/relative", "url")]
    [InlineData("http://user:pass@127.0.0.1/hook", "url")]
    public async Task Create_InvalidUrl_Returns400(string url, string field)
    {
        using var org = await _owner.PostAsJsonAsync(OrgHooks, new { url });
        await ProblemAssert.InvalidAsync(field, org);
        using var repo = await _owner.PostAsJsonAsync(RepoHooks, new { url });
        await ProblemAssert.InvalidAsync(field, repo);
    }

    [Fact]
    public async Task Create_InvalidFields_Returns400()
    {
        using var events = await _owner.PostAsJsonAsync(OrgHooks, new { url = "https://127.0.0.1/h", events = new[] { "push", "everything" } });
        await ProblemAssert.InvalidAsync("events", events);
        using var none = await _owner.PostAsJsonAsync(OrgHooks, new { url = "https://127.0.0.1/h", events = Array.Empty<string>() });
        await ProblemAssert.InvalidAsync("events", none);
        using var secret = await _owner.PostAsJsonAsync(OrgHooks, new { url = "https://127.0.0.1/h", secret = "short" });
        await ProblemAssert.InvalidAsync("secret", secret);
        using var missing = await _owner.PostAsJsonAsync(RepoHooks, new { description = "no url" });
        await ProblemAssert.InvalidAsync("url", missing);
    }

    [Fact]
    public async Task Permissions_AnonymousMembersAndOutsiders()
    {
        var (id, _) = await CreateAsync(OrgHooks);
        var (repoId, _) = await CreateAsync(RepoHooks);
        var anonymous = _server.Anonymous();
        foreach (var path in new[] { OrgHooks, $"{OrgHooks}/{id}", RepoHooks, $"{RepoHooks}/{repoId}/deliveries" })
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, await anonymous.GetAsync(path));
        }

        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, await anonymous.PostAsJsonAsync(RepoHooks, new { url = "http://127.0.0.1/h" }));

        // A member sees the organization and can pull the repository, but does not administer either.
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _member.GetAsync(OrgHooks));
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _member.PostAsJsonAsync(OrgHooks, new { url = "http://127.0.0.1/h" }));
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _member.GetAsync(RepoHooks));
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _member.DeleteAsync($"{RepoHooks}/{repoId}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _member.PostAsync($"{RepoHooks}/{repoId}/test", null));

        // Outsiders cannot even see them: 404, the same as for things that do not exist.
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _outsider.GetAsync(OrgHooks));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _outsider.GetAsync($"{RepoHooks}/{repoId}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.GetAsync("/api/v1/orgs/nope/webhooks"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.GetAsync("/api/v1/repositories/prod/nope/webhooks"));

        // System administrators manage every organization's webhooks.
        var admin = await _server.AdminAsync();
        await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.GetAsync($"{OrgHooks}/{id}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.GetAsync($"{RepoHooks}/{repoId}"));

        // Read-only repository grant: still 403 for repository webhooks.
        using var grant = await _owner.PutAsJsonAsync("/api/v1/repositories/prod/tools/cli/permissions/users/outsider", new { role = "write" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, grant);
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _outsider.GetAsync(RepoHooks));
    }

    [Fact]
    public async Task Ids_AreScoped_OtherScopesAnswer404()
    {
        var (orgHook, _) = await CreateAsync(OrgHooks);
        var (repoHook, _) = await CreateAsync(RepoHooks);
        await _server.CreateRepositoryAsync("prod/app");

        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.GetAsync($"{OrgHooks}/{repoHook}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.GetAsync($"{RepoHooks}/{orgHook}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.GetAsync($"/api/v1/repositories/prod/app/webhooks/{repoHook}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.DeleteAsync($"/api/v1/repositories/prod/app/webhooks/{repoHook}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.GetAsync($"{RepoHooks}/{repoHook}/test"));
    }

    [Fact]
    public async Task RepositoryRoutes_StillReachRepositoryEndpoints()
    {
        await CreateAsync(RepoHooks);

        var repository = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync("/api/v1/repositories/prod/tools/cli"));
        Assert.Equal("prod/tools/cli", repository.GetProperty("name").GetString());
        await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync("/api/v1/repositories/prod/tools/cli/permissions"));
        Assert.Single((await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync(RepoHooks))).EnumerateArray());
    }

    private async Task<(long Id, string Secret)> CreateAsync(string collection)
    {
        using var response = await _owner.PostAsJsonAsync(collection, new { url = "http://127.0.0.1:9/hook" });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, response);
        return (body.GetProperty("id").GetInt64(), body.GetProperty("secret").GetString()!);
    }
}
