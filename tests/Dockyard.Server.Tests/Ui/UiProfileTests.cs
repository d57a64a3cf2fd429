using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// <c>/me</c>: a user sees who they are (account, organizations, teams, sessions and tokens) and changes their own
/// password through the same service as <c>POST /api/v1/me/password</c>: afterwards the old password no longer signs
/// in and the new one does. A directory (LDAP) account is told where its password lives instead.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiProfileTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string OldPassword = "alice-password-1";
    private const string NewPassword = "alice-new-password-2";

    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task User_sees_their_profile_and_changes_their_password_and_the_old_one_stops_working()
    {
        var alice = await _server.Seed.UserAsync("alice", OldPassword);
        var acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.OrganizationAsync("globex");
        await _server.Seed.MemberAsync(acme, alice, owner: true);
        await _server.Seed.TeamAsync(acme, "devs", alice);
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            var user = await db.Users.SingleAsync(u => u.Id == alice);
            user.DisplayName = "Alice Liddell";
            user.Email = "alice@example.com";
            await db.SaveChangesAsync();
        }

        var page = await _server.SignInAsync("alice", OldPassword);
        await page.GotoAsync("/me");
        await Assertions.Expect(page.GetByTestId("profile-username")).ToHaveTextAsync("alice");
        await Assertions.Expect(page.GetByTestId("profile-account")).ToContainTextAsync("Alice Liddell");
        await Assertions.Expect(page.GetByTestId("profile-account")).ToContainTextAsync("alice@example.com");
        await Assertions.Expect(page.GetByTestId("profile-source")).ToHaveTextAsync("local");
        await Assertions.Expect(page.GetByTestId("profile-organizations")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*acme\s*owner\s*$"));
        await Assertions.Expect(page.GetByTestId("profile-teams").GetByRole(AriaRole.Link, new() { Name = "acme/devs" })).ToHaveAttributeAsync("href", "/orgs/acme/teams/devs");
        await Assertions.Expect(page.GetByTestId("profile-sessions")).ToHaveTextAsync("1 web UI session signed in");
        await Assertions.Expect(page.GetByTestId("profile-tokens")).ToHaveTextAsync("0 active access tokens");
        await UiPageChecks.ScreenshotAsync(page, "profile");

        // A wrong current password is refused on the page, and changes nothing.
        await page.GetByLabel("Current password").FillAsync("not-the-password");
        await page.GetByLabel("New password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-error")).ToContainTextAsync("The current password is wrong.");

        await page.GetByLabel("Current password").FillAsync(OldPassword);
        await page.GetByLabel("New password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/me"); // the notice travels in the flash cookie, not the URL
        await Assertions.Expect(page.GetByTestId("form-ok")).ToContainTextAsync("Password changed");

        // This session stays; the old password no longer signs in, the new one does.
        await page.GotoAsync("/me");
        await Assertions.Expect(page.GetByTestId("profile-username")).ToHaveTextAsync("alice");
        var other = await _server.NewPageAsync();
        await other.GotoAsync("/login");
        await other.GetByLabel("Username").FillAsync("alice");
        await other.GetByLabel("Password").FillAsync(OldPassword);
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(other.GetByTestId("login-error")).ToBeVisibleAsync();
        await UiTestServer.SignInAsync(other, "alice", NewPassword);
        await other.GotoAsync("/me");
        await Assertions.Expect(other.GetByTestId("profile-username")).ToHaveTextAsync("alice");

        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/me");
        await using var check = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Action == "user.password.change" && e.ActorName == "alice" && e.Outcome == "success"));
    }

    [Fact]
    public async Task Directory_account_is_told_where_its_password_lives_and_anonymous_callers_sign_in_first()
    {
        var anonymous = await _server.NewPageAsync();
        await anonymous.GotoAsync("/me");
        await UiTestServer.WaitForUrlAsync(anonymous, new System.Text.RegularExpressions.Regex(@"/login\?returnUrl=%2Fme$"));

        var bob = await _server.Seed.UserAsync("bob", "bob-password-12");
        var page = await _server.SignInAsync("bob", "bob-password-12");
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            // As LDAP sync leaves a directory account: no local password to change.
            await db.Users.Where(u => u.Id == bob).ExecuteUpdateAsync(u => u.SetProperty(x => x.Source, AccountSource.Ldap));
        }

        await page.GotoAsync("/me");
        await Assertions.Expect(page.GetByTestId("profile-source")).ToHaveTextAsync("LDAP directory");
        await Assertions.Expect(page.GetByTestId("profile-ldap-password")).ToContainTextAsync("LDAP directory");
        await Assertions.Expect(page.GetByLabel("Current password")).ToHaveCountAsync(0);
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/me");
    }
}
