using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// The permissions pages (issue #15, gap 7): the effective-permissions view of a repository
/// (<c>/repositories/{name}/-/access?user=NAME</c>) and its API answer equal what the real authorizer decides, and what a
/// real <c>/v2</c> push or pull by that user then does; the team page lists the team's repositories and grants, the
/// organization page its repositories. Every page passes axe at desktop and phone width, light and dark.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiEffectivePermissionsTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";
    private static readonly string[] Repositories = ["acme/payments", "acme/web", "acme/docs", "bob/tools"];
    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        var seed = _server.Seed;
        await seed.UserAsync("admin-jo", Password, admin: true);
        var olivia = await seed.UserAsync("olivia", Password);
        var bob = await seed.UserAsync("bob", Password);
        var carol = await seed.UserAsync("carol", Password);
        var dave = await seed.UserAsync("dave", Password);
        await seed.UserAsync("eve", Password);
        var frank = await seed.UserAsync("frank", Password);
        var acme = await seed.OrganizationAsync("acme", RepositoryRole.Read);
        await seed.MemberAsync(acme, olivia, owner: true);
        await seed.MemberAsync(acme, bob);
        await seed.MemberAsync(acme, dave);
        await seed.MemberAsync(acme, frank);
        var billing = await seed.TeamAsync(acme, "billing-devs", bob);
        await seed.TeamAsync(acme, "readers", carol);
        await seed.ServiceAccountAsync(acme, "ci");

        var registry = await _server.RegistryAsync("admin-jo", Password, Repositories);
        foreach (var repository in Repositories)
        {
            await UiTestServer.PushImageAsync(registry, repository, "1.0", """{"architecture":"amd64","os":"linux"}""", $"{repository} layer");
        }

        await seed.VisibilityAsync("acme/docs", RepositoryVisibility.Public);
        await seed.GrantAsync("acme/payments", PermissionSubject.Team, billing, RepositoryRole.Write);
        await seed.GrantAsync("acme/web", PermissionSubject.User, carol, RepositoryRole.Read);
        await seed.GrantAsync("acme/web", PermissionSubject.Team, billing, RepositoryRole.Admin);
        await seed.SetActiveAsync(frank, active: false);
        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        db.CollectionGrants.Add(new CollectionGrantEntity { SubjectKind = "team", SubjectId = billing, Role = "view-only", Collection = "/orgs/acme", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Access_view_and_api_equal_the_authorizers_decisions_and_a_real_registry_push_and_pull()
    {
        using var api = Basic("olivia");
        var authorizer = _server.Get<AccessAuthorizer>();
        var cases = new (string User, string Repository, string Role, string[] Actions, string[] Sources)[]
        {
            ("bob", "acme/payments", "write", ["pull", "push"], ["team-grant", "organization-member"]),
            ("bob", "acme/web", "admin", ["pull", "push", "delete"], ["team-grant", "organization-member"]),
            ("carol", "acme/web", "read", ["pull"], ["user-grant"]),
            ("carol", "acme/payments", "none", [], []),
            ("carol", "acme/docs", "none", ["pull"], ["public"]),
            ("dave", "acme/payments", "read", ["pull"], ["organization-member"]),
            ("olivia", "acme/payments", "admin", ["pull", "push", "delete"], ["organization-owner"]),
            ("admin-jo", "acme/payments", "admin", ["pull", "push", "delete"], ["system-administrator"]),
            ("frank", "acme/docs", "none", [], []),
            ("acme/ci", "acme/payments", "admin", ["pull", "push", "delete"], ["service-account-organization"]),
        };
        foreach (var (user, repository, role, actions, sources) in cases)
        {
            using var response = await api.GetAsync($"/api/v1/repositories/{repository}/access?user={Uri.EscapeDataString(user)}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user} on {repository}: {(int)response.StatusCode} {body}");
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var what = $"{user} on {repository}: {body}";

            // What the view says is what the registry's authorizer decides, asked directly.
            var principal = (await authorizer.FindAccountPrincipalAsync(user, CancellationToken.None))!;
            var name = RepositoryName.Parse(repository);
            var decided = await authorizer.GetRepositoryActionsAsync(principal, name, CancellationToken.None);
            Assert.True(RepositoryActionNames.Of(decided).SequenceEqual(root.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!)), what);
            Assert.Equal(Dockyard.Server.Accounts.RoleNames.Of(await authorizer.GetRepositoryRoleAsync(principal, name, CancellationToken.None)), root.GetProperty("role").GetString());
            Assert.Equal(await authorizer.CanAdministerRepositoryAsync(principal, name, CancellationToken.None), root.GetProperty("administer").GetBoolean());
            foreach (var decision in root.GetProperty("decisions").EnumerateArray())
            {
                var operation = decision.GetProperty("operation").GetString() switch
                {
                    "pull" => Operation.RepositoryPull,
                    "push" => Operation.RepositoryPush,
                    "delete" => Operation.RepositoryDelete,
                    _ => Operation.RepositoryAdminister,
                };
                Assert.Equal(await authorizer.MayAsync(principal, operation, Resource.ForRepository(name), CancellationToken.None), decision.GetProperty("allowed").GetBoolean());
            }

            // ...and what the seed intended; the contributing rules are listed, the highest role first.
            Assert.True(role == root.GetProperty("role").GetString(), what);
            Assert.True(actions.SequenceEqual(root.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!)), what);
            Assert.True(sources.SequenceEqual(root.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("kind").GetString()!)), what);
        }

        // The same answers from the real registry: bob pushes to acme/payments (team write), carol pulls acme/web but
        // cannot push to it, dave may not push to acme/payments (his default member role is read).
        var bob = await _server.RegistryAsync("bob", Password, "acme/payments");
        await UiTestServer.PushImageAsync(bob, "acme/payments", "bob-1", """{"architecture":"arm64","os":"linux"}""", "bob's layer");
        Assert.Equal(["pull"], await GrantedActionsAsync("carol", "acme/web"));
        Assert.Equal(["pull"], await GrantedActionsAsync("dave", "acme/payments"));
        Assert.Equal(["pull", "push", "delete"], await GrantedActionsAsync("bob", "acme/web"));
        Assert.Empty(await GrantedActionsAsync("carol", "acme/payments"));
        var carol = await _server.RegistryAsync("carol", Password, "acme/web");
        Assert.Equal(HttpStatusCode.OK, await carol.StatusOfAsync(HttpMethod.Get, "/v2/acme/web/manifests/1.0"));
        using (var denied = await carol.Http.PostAsync("/v2/acme/web/blobs/uploads/", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        }

        // Only repository administrators may ask: bob administers acme/web (team admin) but not acme/payments.
        using var bobApi = Basic("bob");
        Assert.Equal(HttpStatusCode.OK, (await bobApi.GetAsync("/api/v1/repositories/acme/web/access?user=carol")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bobApi.GetAsync("/api/v1/repositories/acme/payments/access?user=carol")).StatusCode);
        using var carolApi = Basic("carol");
        Assert.Equal(HttpStatusCode.NotFound, (await carolApi.GetAsync("/api/v1/repositories/acme/payments/access?user=bob")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/repositories/acme/payments/access?user=nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/repositories/acme/payments/access")).StatusCode);

        // The page shows the same, reached from the settings page.
        var page = await _server.SignInAsync("olivia", Password);
        await page.GotoAsync("/repositories/acme/payments/-/settings");
        await page.GetByRole(AriaRole.Link, new() { Name = "Effective permissions" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories/acme/payments/-/access");
        await page.GetByLabel("User, or service account as org/name").FillAsync("bob");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("access-role")).ToHaveTextAsync("write");
        await Assertions.Expect(page.Locator("tr[data-operation=\"push\"]")).ToHaveAttributeAsync("data-allowed", "true");
        await Assertions.Expect(page.Locator("tr[data-operation=\"delete\"]")).ToHaveAttributeAsync("data-allowed", "false");
        await Assertions.Expect(page.Locator("tr[data-source=\"team-grant\"]")).ToContainTextAsync("billing-devs");
        await Assertions.Expect(page.GetByText("view-only")).ToBeVisibleAsync();
        await UiPageChecks.ScreenshotAsync(page, "repository-access");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/repositories/acme/payments/-/access?user=bob");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/repositories/acme/payments/-/access?user=frank");

        var unknown = await page.GotoAsync("/repositories/acme/payments/-/access?user=bobb");
        Assert.Equal((int)HttpStatusCode.BadRequest, unknown!.Status);
        await Assertions.Expect(page.GetByTestId("access-error")).ToContainTextAsync("bobb");
        await Assertions.Expect(page.GetByLabel("User, or service account as org/name")).ToHaveValueAsync("bobb");
    }

    [Fact]
    public async Task Team_page_lists_its_repositories_and_grants_and_the_organization_page_its_repositories()
    {
        var page = await _server.SignInAsync("olivia", Password);
        await page.GotoAsync("/orgs/acme/teams/billing-devs");
        var grants = page.GetByRole(AriaRole.Table, new() { Name = "Repository grants" });
        await Assertions.Expect(grants.Locator("tr[data-repository=\"acme/payments\"]")).ToContainTextAsync("write");
        await Assertions.Expect(grants.Locator("tr[data-repository=\"acme/web\"]")).ToContainTextAsync("admin");
        await Assertions.Expect(page.GetByTestId("org-default-role")).ToContainTextAsync("read");
        await Assertions.Expect(page.GetByTestId("team-collection-grants")).ToContainTextAsync("/orgs/acme");
        var suggestions = await page.Locator("#team-member-suggestions option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Equal(["dave", "olivia"], suggestions); // members of acme not in the team yet (frank is deactivated)
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/orgs/acme/teams/billing-devs");

        await page.GotoAsync("/orgs/acme");
        var repositories = page.GetByRole(AriaRole.Table, new() { Name = "Repositories of acme" });
        await Assertions.Expect(repositories.Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(repositories.Locator("tr[data-repository=\"acme/docs\"]")).ToContainTextAsync("public");
        await Assertions.Expect(repositories.Locator("tr[data-repository=\"acme/payments\"]")).ToContainTextAsync("1");
        await repositories.GetByRole(AriaRole.Link, new() { Name = "acme/web" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories/acme/web");
        // At phone width only the repositories section is held to fitting: the member and team cards beside it overflow
        // today (issue #15 defect 8, another slice's).
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/orgs/acme");

        // A member sees only the repositories and team grants they may pull: dave has read on all three through the
        // default role; carol (not a member) is not shown the organization at all.
        var dave = await _server.SignInAsync("dave", Password);
        await dave.GotoAsync("/orgs/acme/teams/billing-devs");
        await Assertions.Expect(dave.GetByRole(AriaRole.Table, new() { Name = "Repository grants" }).Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(dave.Locator("#team-member-suggestions")).ToHaveCountAsync(0);
        var carol = await _server.SignInAsync("carol", Password);
        Assert.Equal((int)HttpStatusCode.NotFound, (await carol.GotoAsync("/orgs/acme"))!.Status);

        // Organization members form: suggestions for system administrators only (they may list users anyway).
        var admin = await _server.SignInAsync("admin-jo", Password);
        await admin.GotoAsync("/orgs/acme");
        var users = await admin.Locator("#member-suggestions option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Contains("carol", users);
        Assert.Contains("eve", users);
        Assert.DoesNotContain("bob", users); // already a member
        await page.GotoAsync("/orgs/acme");
        await Assertions.Expect(page.Locator("#member-suggestions")).ToHaveCountAsync(0);
    }

    private async Task<string[]> GrantedActionsAsync(string user, string repository)
    {
        using var client = Basic(user);
        using var response = await client.GetAsync($"/auth/token?service=dockyard&scope=repository:{repository}:pull,push,delete");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var payload = json.RootElement.GetProperty("token").GetString()!.Split('.')[1];
        using var claims = JsonDocument.Parse(Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight((payload.Length + 3) / 4 * 4, '=')));
        var access = claims.RootElement.GetProperty("access").EnumerateArray().SingleOrDefault();
        return access.ValueKind == JsonValueKind.Undefined ? [] : [.. access.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!)];
    }

    private HttpClient Basic(string user)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password}")));
        return client;
    }
}
