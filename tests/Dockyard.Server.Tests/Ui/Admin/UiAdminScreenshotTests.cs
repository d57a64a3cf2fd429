using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// Walks the main administration pages as a system administrator with some data in place, checks each renders
/// (200, its heading, no error) and screenshots it. With <c>DOCKYARD_SCREENSHOTS_DIR</c> set the pictures go there
/// (docs/screenshots is made this way); otherwise to a temporary directory.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiAdminScreenshotTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Admin_pages_render_for_a_system_administrator()
    {
        var directory = UiPageChecks.ScreenshotDirectory();
        var admin = await _server.Seed.UserAsync("root", "root-password-12", admin: true);
        var alice = await _server.Seed.UserAsync("alice", "alice-password-1");
        var bob = await _server.Seed.UserAsync("bob", "bob-password-12");
        var acme = await _server.Seed.OrganizationAsync("acme", Dockyard.Server.Data.Entities.RepositoryRole.Read);
        await _server.Seed.MemberAsync(acme, admin, owner: true);
        await _server.Seed.MemberAsync(acme, alice, owner: true);
        await _server.Seed.MemberAsync(acme, bob);
        await _server.Seed.TeamAsync(acme, "developers", alice, bob);
        var page = await _server.SignInAsync("root", "root-password-12");

        await ShotAsync(page, "/orgs/acme", "acme", Path.Combine(directory, "admin-organization.png"));
        await ShotAsync(page, "/orgs/acme/teams/developers", "developers", Path.Combine(directory, "admin-team.png"));

        await page.GotoAsync("/orgs/acme/service-accounts");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("ci");
        await page.GetByLabel("Description").FillAsync("Build pipeline");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create service account" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/orgs/acme/service-accounts/ci");
        await page.GetByLabel("Token name").FillAsync("pipeline");
        await page.GetByLabel("push").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("new-secret")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, "admin-service-account-token.png"), FullPage = true });

        await ShotAsync(page, "/users", "Users", Path.Combine(directory, "admin-users.png"));
        await ShotAsync(page, "/audit", "Audit log", Path.Combine(directory, "admin-audit-log.png"));
        await ShotAsync(page, "/settings/ldap", "LDAP / Active Directory", Path.Combine(directory, "admin-ldap.png"));
        await ShotAsync(page, "/me/tokens", "Your access tokens", Path.Combine(directory, "admin-personal-tokens.png"));

        foreach (var file in Directory.GetFiles(directory, "admin-*.png"))
        {
            Assert.True(new FileInfo(file).Length > 10_000, file);
        }
    }

    private static async Task ShotAsync(IPage page, string path, string heading, string file)
    {
        var response = await page.GotoAsync(path);
        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
        await Assertions.Expect(page.GetByTestId("form-error")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
    }
}
