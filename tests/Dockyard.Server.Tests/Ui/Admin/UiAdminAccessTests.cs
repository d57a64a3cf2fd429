using System.Net;
using Dockyard.Server.Data;
using Dockyard.Server.Ldap;
using Dockyard.Server.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// Permission-awareness of the administration pages: what a user may not do is absent from the page, a direct GET
/// is refused, and a forged form post (with a valid antiforgery token of the user's own session) changes nothing.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiAdminAccessTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Non_admin_sees_no_admin_pages_and_direct_gets_are_refused()
    {
        await _server.Seed.UserAsync("bob", "bob-password-12");
        var page = await _server.SignInAsync("bob", "bob-password-12");

        // The running build is in the footer for signed-in users, and absent from anonymous pages.
        await Assertions.Expect(page.GetByTestId("build-version")).ToHaveTextAsync($"Dockyard {BuildInfo.Current.Version} ({BuildInfo.Current.ShortCommit})");
        using (var anonymousClient = _server.CreateClient())
        {
            Assert.DoesNotContain("build-version", await anonymousClient.GetStringAsync("/login"), StringComparison.Ordinal);
        }

        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Organizations" })).ToBeVisibleAsync();
        foreach (var hidden in new[] { "Users", "Audit", "LDAP" })
        {
            await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = hidden })).ToHaveCountAsync(0);
        }

        foreach (var path in new[] { "/users", "/settings/ldap", "/audit", "/audit/export?format=csv", "/audit/export?format=jsonl&action=auth.*" })
        {
            var response = await page.APIRequest.GetAsync(path, new() { MaxRedirects = 0 });
            Assert.True(response.Status == 403, $"{path}: {response.Status}");
        }

        await page.GotoAsync("/users");
        await Assertions.Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create user" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Forged_admin_posts_by_a_non_admin_change_nothing()
    {
        await _server.Seed.UserAsync("bob", "bob-password-12");
        var page = await _server.SignInAsync("bob", "bob-password-12");

        // A valid antiforgery token of bob's own session, from a form he may use.
        var tokens = await page.GotoAsync("/me/tokens");
        Assert.True(tokens!.Status == 200, await tokens.TextAsync());
        var token = await page.Locator("input[name=__csrf]").First.GetAttributeAsync("value");
        Assert.False(string.IsNullOrEmpty(token));

        var createUser = await page.APIRequest.PostAsync("/users", new()
        {
            Form = Form(page, ("__csrf", token!), ("_handler", "create-user"), ("Form.Username", "mallory"), ("Form.Password", "mallory-password-1"), ("Form.IsAdmin", "true")),
            MaxRedirects = 0,
        });
        Assert.Contains(createUser.Status, new[] { 400, 403 });

        var ldap = await page.APIRequest.PostAsync("/settings/ldap", new()
        {
            Form = Form(page, ("__csrf", token!), ("_handler", "ldap"), ("Ldap.Intent", "save"), ("Ldap.Enabled", "true"), ("Ldap.Url", "ldap://127.0.0.1:1"), ("Ldap.UserSearchBase", "dc=evil")),
            MaxRedirects = 0,
        });
        Assert.Contains(ldap.Status, new[] { 400, 403 });

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Username == "mallory"));
        Assert.False((await _server.Get<LdapSettingsStore>().GetAsync(CancellationToken.None)).Enabled);

        // Without any antiforgery token the post is refused before the page runs.
        using var client = _server.CreateClient();
        using var anonymous = await client.PostAsync("/users", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "create-user", ["Form.Username"] = "mallory" }));
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
    }

    [Fact]
    public async Task Member_who_is_not_owner_sees_the_organization_read_only_and_cannot_add_members()
    {
        var owner = await _server.Seed.UserAsync("olivia", "olivia-password-1");
        var member = await _server.Seed.UserAsync("bob", "bob-password-12");
        var acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.MemberAsync(acme, owner, owner: true);
        await _server.Seed.MemberAsync(acme, member);
        var page = await _server.SignInAsync("bob", "bob-password-12");

        await page.GotoAsync("/orgs/acme");
        await Assertions.Expect(page.Locator("tr[data-member=\"olivia\"]")).ToContainTextAsync("owner");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add member" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Service accounts" })).ToHaveCountAsync(0);
        Assert.Equal(403, (await page.APIRequest.GetAsync("/orgs/acme/service-accounts")).Status);
        Assert.Equal(404, (await page.APIRequest.GetAsync("/orgs/nope")).Status);

        await page.GotoAsync("/me/tokens");
        var token = await page.Locator("input[name=__csrf]").First.GetAttributeAsync("value");
        var forged = await page.APIRequest.PostAsync("/orgs/acme", new()
        {
            Form = Form(page, ("__csrf", token!), ("_handler", "add-member"), ("Form.Username", "bob"), ("Form.IsOwner", "true")),
            MaxRedirects = 0,
        });
        Assert.Contains(forged.Status, new[] { 400, 403 });
        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        Assert.False(await db.OrganizationMembers.AnyAsync(m => m.UserId == member && m.IsOwner));
    }

    private static IFormData Form(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
