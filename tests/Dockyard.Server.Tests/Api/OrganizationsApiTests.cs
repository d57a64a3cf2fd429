using System.Net;
using System.Net.Http.Json;

namespace Dockyard.Server.Tests.Api;

public sealed class OrganizationsApiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        (_, _owner) = await _server.UserAsync("owner");
        await _server.CreateUserAsync("dev");
        var ownerId = await _server.UserIdAsync("owner");
        await _server.CreateOrganizationAsync("prod", ownerId);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_AsAdmin_CreatorOwns_InvalidAndTakenNames_Rejected()
    {
        var admin = await _server.AdminAsync();
        using var created = await admin.PostAsJsonAsync("/api/v1/orgs", new { name = "acme", defaultMemberRole = "read" });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        Assert.Equal("read", body.GetProperty("defaultMemberRole").GetString());
        var members = await admin.GetStringAsync("/api/v1/orgs/acme/members");
        Assert.Contains("\"username\":\"admin\",", members, StringComparison.Ordinal);

        using var invalid = await admin.PostAsJsonAsync("/api/v1/orgs", new { name = "Bad Name" });
        await ProblemAssert.InvalidAsync("name", invalid);
        using var tooLong = await admin.PostAsJsonAsync("/api/v1/orgs", new { name = new string('a', 65) });
        await ProblemAssert.InvalidAsync("name", tooLong);
        using var role = await admin.PostAsJsonAsync("/api/v1/orgs", new { name = "x", defaultMemberRole = "owner" });
        await ProblemAssert.InvalidAsync("defaultMemberRole", role);
        using var userName = await admin.PostAsJsonAsync("/api/v1/orgs", new { name = "dev" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, userName);
        using var duplicate = await admin.PostAsJsonAsync("/api/v1/orgs", new { name = "prod" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, duplicate);
    }

    [Fact]
    public async Task Create_ByUser_AllowedOnlyWhenConfigured()
    {
        await using var open = await ApiTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Auth:AllowUserOrganizations"] = "true" });
        var (_, user) = await open.UserAsync("someone");

        using var created = await user.PostAsJsonAsync("/api/v1/orgs", new { name = "mine" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        using var refused = await _owner.PostAsJsonAsync("/api/v1/orgs", new { name = "mine" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task Members_AddPromoteDemoteRemove_LastOwnerProtected()
    {
        using var added = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/members", new { username = "dev" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, added);
        using var again = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/members", new { username = "dev" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, again);
        using var unknown = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/members", new { username = "ghost" });
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, unknown);
        using var missing = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/members", new { });
        await ProblemAssert.InvalidAsync("username", missing);

        using var lastOwner = await _owner.DeleteAsync("/api/v1/orgs/prod/members/owner");
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, lastOwner);
        using var demoteLast = await _owner.PatchAsJsonAsync("/api/v1/orgs/prod/members/owner", new { isOwner = false });
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, demoteLast);

        using var promote = await _owner.PatchAsJsonAsync("/api/v1/orgs/prod/members/dev", new { isOwner = true });
        Assert.True((await ProblemAssert.StatusAsync(HttpStatusCode.OK, promote)).GetProperty("isOwner").GetBoolean());
        using var leave = await _owner.DeleteAsync("/api/v1/orgs/prod/members/owner");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, leave);
        using var notMember = await _owner.GetAsync("/api/v1/orgs/prod");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, notMember);
    }

    [Fact]
    public async Task Member_MayLeave()
    {
        var (_, dev) = await _server.UserAsync("dev2");
        await _owner.PostAsJsonAsync("/api/v1/orgs/prod/members", new { username = "dev2" });

        using var leave = await dev.DeleteAsync("/api/v1/orgs/prod/members/dev2");

        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, leave);
    }

    [Fact]
    public async Task UpdateAndDelete_RefusedWhileRepositoriesExist()
    {
        using var updated = await _owner.PatchAsJsonAsync("/api/v1/orgs/prod", new { description = "Production", defaultMemberRole = "write" });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, updated);
        Assert.Equal("write", body.GetProperty("defaultMemberRole").GetString());
        Assert.Equal("Production", body.GetProperty("description").GetString());

        await _server.CreateRepositoryAsync("prod/app");
        using var refused = await _owner.DeleteAsync("/api/v1/orgs/prod");
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, refused);

        var ownerId = await _server.UserIdAsync("owner");
        await _server.CreateOrganizationAsync("empty", ownerId);
        using var deleted = await _owner.DeleteAsync("/api/v1/orgs/empty");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, deleted);
        using var gone = await _owner.GetAsync("/api/v1/orgs/empty");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, gone);
    }

    [Fact]
    public async Task Teams_CreateRenameMembersDelete()
    {
        using var created = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/teams", new { name = "developers" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        using var duplicate = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/teams", new { name = "developers" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, duplicate);
        using var invalid = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/teams", new { name = "-x" });
        await ProblemAssert.InvalidAsync("name", invalid);

        using var notMember = await _owner.PutAsync("/api/v1/orgs/prod/teams/developers/members/dev", null);
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, notMember);
        await _owner.PostAsJsonAsync("/api/v1/orgs/prod/members", new { username = "dev" });
        using var joined = await _owner.PutAsync("/api/v1/orgs/prod/teams/developers/members/dev", null);
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, joined);
        Assert.Contains("\"dev\"", await _owner.GetStringAsync("/api/v1/orgs/prod/teams/developers/members"), StringComparison.Ordinal);

        using var renamed = await _owner.PatchAsJsonAsync("/api/v1/orgs/prod/teams/developers", new { name = "devs", description = "All developers" });
        Assert.Equal("devs", (await ProblemAssert.StatusAsync(HttpStatusCode.OK, renamed)).GetProperty("name").GetString());
        using var oldName = await _owner.GetAsync("/api/v1/orgs/prod/teams/developers");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, oldName);

        using var removed = await _owner.DeleteAsync("/api/v1/orgs/prod/teams/devs/members/dev");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, removed);
        using var removedAgain = await _owner.DeleteAsync("/api/v1/orgs/prod/teams/devs/members/dev");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, removedAgain);
        using var deleted = await _owner.DeleteAsync("/api/v1/orgs/prod/teams/devs");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, deleted);
        Assert.Equal("[]", await _owner.GetStringAsync("/api/v1/orgs/prod/teams"));
    }
}
