using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ldap;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// Directory users on the login form: the browser shares the Ui collection's Chromium; slapd is this class's own
/// (a test class belongs to one collection, and the Ldap collection has no browser).
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiLdapLoginTests(UiBrowserFixture browser, SlapdFixture slapd) : IClassFixture<SlapdFixture>, IAsyncLifetime
{
    private const string AdminPassword = "correct-horse-battery";
    private const string MinimalConfig = """{"architecture":"amd64","os":"linux"}""";

    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        await _server.Seed.UserAsync("root", AdminPassword, admin: true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ldap_user_signs_in_with_the_directory_password_sees_what_the_group_may_pull_and_signs_out()
    {
        var uid = LdapTestServer.Unique("uildap");
        var dn = await slapd.AddUserAsync(uid, "Pw-directory-1", displayName: "Directory User");
        var group = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("uidevs"), dn);
        var organization = await _server.Seed.OrganizationAsync("acme");
        var team = await _server.Seed.TeamAsync(organization, "developers");
        await SaveLdapSettingsAsync(LdapTestServer.OpenLdapSettings(slapd) with
        {
            GroupMappings = [new LdapGroupMapping(group, "acme", "developers")],
        });
        var registry = await _server.RegistryAsync("root", AdminPassword, "acme/granted", "acme/hidden");
        await UiTestServer.PushImageAsync(registry, "acme/granted", "1", MinimalConfig, "granted");
        await UiTestServer.PushImageAsync(registry, "acme/hidden", "1", MinimalConfig, "hidden");
        await _server.Seed.GrantAsync("acme/granted", PermissionSubject.Team, team, RepositoryRole.Read);

        var page = await _server.SignInAsync(uid, "Pw-directory-1");

        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator(".session-user")).ToContainTextAsync(uid);
        Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "dockyard_session");
        await page.GotoAsync("/repositories");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "acme/granted" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "acme/hidden" })).ToHaveCountAsync(0);
        var hidden = await page.GotoAsync("/repositories/acme/hidden");
        Assert.Equal(404, hidden!.Status);

        await using (var db = await CreateDbContextAsync())
        {
            // Created just in time by the directory login, and audited as an LDAP login.
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Username == uid);
            Assert.Equal(AccountSource.Ldap, user.Source);
            var login = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "auth.login.success" && e.ActorName == uid);
            Assert.Equal("ldap", login.AuthMethod);
        }

        await page.GetByTestId("user-menu-button").ClickAsync(); // Sign out is in the account menu
        await page.GetByTestId("sign-out").ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/login");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "dockyard_session");
        await Assertions.Expect(page.Locator(".session-user")).ToHaveCountAsync(0);
        var afterSignOut = await page.GotoAsync("/repositories/acme/granted");
        Assert.Equal(404, afterSignOut!.Status);
    }

    [Fact]
    public async Task Ldap_user_with_a_wrong_directory_password_sees_the_error_and_gets_no_session()
    {
        var uid = LdapTestServer.Unique("uiwrong");
        await slapd.AddUserAsync(uid, "Pw-directory-1");
        await SaveLdapSettingsAsync(LdapTestServer.OpenLdapSettings(slapd));

        var page = await _server.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync(uid);
        await page.GetByLabel("Password").FillAsync("Pw-not-the-one-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("Incorrect username or password.");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "dockyard_session");
        await Assertions.Expect(page.Locator(".session-user")).ToHaveCountAsync(0);
        await using var db = await CreateDbContextAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Username == uid));
        Assert.Single(await db.AuditEntries.AsNoTracking().Where(e => e.Action == "auth.login.failure").ToListAsync());
    }

    private Task SaveLdapSettingsAsync(LdapSettings settings) =>
        _server.Get<LdapSettingsStore>().SaveAsync(settings, CancellationToken.None);

    private Task<DockyardDbContext> CreateDbContextAsync() =>
        _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
}
