using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// The dashboard's getting-started panel: shown to a signed-in user who sees no repository, with this registry's
/// <c>docker login</c> and push commands (copy buttons) and only the next steps they may take (an administrator:
/// create an organization, connect LDAP); gone once they see a repository.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiGettingStartedTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "root-password-12";

    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Empty_registry_shows_the_panel_until_the_first_push()
    {
        await _server.Seed.UserAsync("root", Password, admin: true);
        await _server.Seed.UserAsync("carol", "carol-password-1");
        var host = _server.BaseAddress.Authority;

        var anonymous = await _server.NewPageAsync();
        await anonymous.GotoAsync("/");
        await Assertions.Expect(anonymous.GetByTestId("getting-started")).ToHaveCountAsync(0);

        var page = await _server.SignInAsync("root", Password);
        var panel = page.GetByTestId("getting-started");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("start-login")).ToHaveTextAsync($"docker login -u root {host}");
        await Assertions.Expect(panel.Locator("button[aria-controls=\"start-login\"]")).ToHaveAttributeAsync("data-copy", $"docker login -u root {host}");
        await Assertions.Expect(page.GetByTestId("start-push")).ToContainTextAsync($"docker push {host}/root/hello:1.0");
        await Assertions.Expect(page.GetByTestId("start-org").GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "/orgs");
        await Assertions.Expect(page.GetByTestId("start-ldap").GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "/settings/ldap");
        await UiPageChecks.ScreenshotAsync(page, "dashboard-empty");

        // A user who may not create organizations (the default) is not offered it, nor LDAP.
        var carol = await _server.SignInAsync("carol", "carol-password-1");
        await Assertions.Expect(carol.GetByTestId("getting-started")).ToBeVisibleAsync();
        await Assertions.Expect(carol.GetByTestId("start-login")).ToHaveTextAsync($"docker login -u carol {host}");
        await Assertions.Expect(carol.GetByTestId("start-org")).ToHaveCountAsync(0);
        await Assertions.Expect(carol.GetByTestId("start-ldap")).ToHaveCountAsync(0);

        var registry = await _server.RegistryAsync("root", Password, "root/hello");
        await UiTestServer.PushImageAsync(registry, "root/hello", "1.0", """{"architecture":"amd64","os":"linux"}""", "hello");

        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("stat-repositories")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("getting-started")).ToHaveCountAsync(0);

        // Carol still sees no repository (root's is private): her panel stays.
        await carol.GotoAsync("/");
        await Assertions.Expect(carol.GetByTestId("getting-started")).ToBeVisibleAsync();
        await UiAccessibility.AssertAccessibleEverywhereAsync(carol, "/");
    }
}
