using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Tests.Api;

public sealed class RepositoriesApiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        long ownerId;
        (ownerId, _owner) = await _server.UserAsync("owner");
        await _server.CreateOrganizationAsync("prod", ownerId);
        await _server.Get<Dockyard.Server.Accounts.TeamService>().CreateAsync(Dockyard.Server.Audit.Caller.System, "prod", "devs", null, CancellationToken.None);
        await _server.CreateRepositoryAsync("prod/app");
        await _server.CreateRepositoryAsync("prod/tools/cli");
        await _server.CreateRepositoryAsync("library/public", RepositoryVisibility.Public);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task List_ShowsOnlyVisible_FiltersAndPages()
    {
        var anonymous = await _server.Anonymous().GetFromJsonAsync<ListBody>("/api/v1/repositories");
        Assert.Equal(["library/public"], anonymous!.Items.Select(i => i.Name));

        var owner = await _owner.GetFromJsonAsync<ListBody>("/api/v1/repositories?namespace=prod");
        Assert.Equal(["prod/app", "prod/tools/cli"], owner!.Items.Select(i => i.Name));
        var page2 = await _owner.GetFromJsonAsync<ListBody>("/api/v1/repositories?pageSize=1&page=2");
        Assert.Equal(3, page2!.Total);
        Assert.Equal(["prod/app"], page2.Items.Select(i => i.Name));
        var search = await _owner.GetFromJsonAsync<ListBody>("/api/v1/repositories?q=cli");
        Assert.Equal(["prod/tools/cli"], search!.Items.Select(i => i.Name));

        using var badPage = await _owner.GetAsync("/api/v1/repositories?page=0");
        await ProblemAssert.InvalidAsync("page", badPage);
        using var badSize = await _owner.GetAsync("/api/v1/repositories?pageSize=1000");
        await ProblemAssert.InvalidAsync("pageSize", badSize);
    }

    [Fact]
    public async Task Visibility_MakePublic_AnonymousCanSeeIt()
    {
        using (var hidden = await _server.Anonymous().GetAsync("/api/v1/repositories/prod/tools/cli"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, hidden);
        }

        using var updated = await _owner.PatchAsJsonAsync("/api/v1/repositories/prod/tools/cli", new { visibility = "public", description = "The CLI" });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, updated);
        Assert.Equal("public", body.GetProperty("visibility").GetString());

        using var visible = await _server.Anonymous().GetAsync("/api/v1/repositories/prod/tools/cli");
        Assert.Equal("The CLI", (await ProblemAssert.StatusAsync(HttpStatusCode.OK, visible)).GetProperty("description").GetString());
        using var invalid = await _owner.PatchAsJsonAsync("/api/v1/repositories/prod/app", new { visibility = "internal" });
        await ProblemAssert.InvalidAsync("visibility", invalid);
        using var anonymousPatch = await _server.Anonymous().PatchAsJsonAsync("/api/v1/repositories/library/public", new { visibility = "private" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, anonymousPatch);
    }

    [Fact]
    public async Task Description_TakesAReadmeOf25000Characters_AndRefusesLonger()
    {
        var readme = "# App\n\n" + new string('x', 25_000 - 7);
        using var stored = await _owner.PatchAsJsonAsync("/api/v1/repositories/prod/app", new { description = readme });
        Assert.Equal(readme, (await ProblemAssert.StatusAsync(HttpStatusCode.OK, stored)).GetProperty("description").GetString());

        using var tooLong = await _owner.PatchAsJsonAsync("/api/v1/repositories/prod/app", new { description = readme + "x" });
        await ProblemAssert.InvalidAsync("description", tooLong);
    }

    [Fact]
    public async Task Permissions_GrantListChangeRevoke_ForUsersAndTeams()
    {
        var (_, dev) = await _server.UserAsync("dev");
        using (var before = await dev.GetAsync("/api/v1/repositories/prod/app"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, before);
        }

        using var user = await _owner.PutAsJsonAsync("/api/v1/repositories/prod/app/permissions/users/dev", new { role = "read" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, user);
        using var changed = await _owner.PutAsJsonAsync("/api/v1/repositories/prod/app/permissions/users/dev", new { role = "write" });
        await ProblemAssert.StatusAsync(HttpStatusCode.OK, changed);
        using var team = await _owner.PutAsJsonAsync("/api/v1/repositories/prod/app/permissions/teams/devs", new { role = "read" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, team);

        var list = await _owner.GetStringAsync("/api/v1/repositories/prod/app/permissions");
        Assert.Contains("{\"subjectKind\":\"user\",\"subject\":\"dev\",\"role\":\"write\"", list, StringComparison.Ordinal);
        Assert.Contains("{\"subjectKind\":\"team\",\"subject\":\"devs\",\"role\":\"read\"", list, StringComparison.Ordinal);
        using (var after = await dev.GetAsync("/api/v1/repositories/prod/app"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, after);
        }

        using var revoked = await _owner.DeleteAsync("/api/v1/repositories/prod/app/permissions/users/dev");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, revoked);
        using var revokedAgain = await _owner.DeleteAsync("/api/v1/repositories/prod/app/permissions/users/dev");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, revokedAgain);
    }

    [Fact]
    public async Task Permissions_Errors()
    {
        using var badRole = await _owner.PutAsJsonAsync("/api/v1/repositories/prod/app/permissions/users/owner", new { role = "owner" });
        await ProblemAssert.InvalidAsync("role", badRole);
        using var unknownUser = await _owner.PutAsJsonAsync("/api/v1/repositories/prod/app/permissions/users/ghost", new { role = "read" });
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, unknownUser);
        using var unknownTeam = await _owner.PutAsJsonAsync("/api/v1/repositories/prod/app/permissions/teams/ghosts", new { role = "read" });
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, unknownTeam);
        using var notPushedYet = await _owner.PutAsJsonAsync("/api/v1/repositories/prod/later/permissions/users/owner", new { role = "read" });
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, notPushedYet);
        using var badPath = await _owner.PutAsJsonAsync("/api/v1/repositories/prod/app/permissions/groups/x", new { role = "read" });
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, badPath);
        using var badName = await _owner.GetAsync("/api/v1/repositories/Prod/App");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, badName);
    }

    private sealed record ListBody(List<Item> Items, int Page, int PageSize, int Total);

    private sealed record Item(string Name, string Visibility);
}
