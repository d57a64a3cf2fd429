using Dockyard.Registry.Maintenance;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Jobs;
using Dockyard.Server.Observability;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// <c>/system</c>: administrators see the running build, the real schema version and database, the readiness checks,
/// background jobs' last runs (or that nothing records them) and the configuration with its secrets masked: a
/// configured secret never reaches the HTML. Others are refused.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiSystemPageTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string BindPassword = "bind-Secret-Value-4711";
    private const string UrlPassword = "url-pass-9931";
    private const string Password = "root-password-12";

    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser, new Dictionary<string, string?>
    {
        ["Dockyard:Ldap:BindPassword"] = BindPassword,
        ["Dockyard:Health:MinFreeBytes"] = "1024",
        ["Dockyard:Example:Mirror"] = $"https://ci:{UrlPassword}@mirror.example/v2/",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Administrator_sees_build_schema_backends_health_jobs_and_configuration_with_secrets_masked()
    {
        await _server.Seed.UserAsync("root", Password, admin: true);
        await _server.Get<GarbageCollectionRunner>().RunAsync(new GarbageCollectionRequest { DryRun = true }, Caller.System, CancellationToken.None);
        var page = await _server.SignInAsync("root", Password);

        await page.Locator("#site-nav button", new() { HasText = "Administration" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "System" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/system");

        var schema = await _server.Get<DatabaseMigrator>().GetStatusAsync(CancellationToken.None);
        Assert.NotNull(schema.Schema);
        await Assertions.Expect(page.GetByTestId("system-version")).ToHaveTextAsync(BuildInfo.Current.Version);
        await Assertions.Expect(page.GetByTestId("system-schema")).ToHaveTextAsync(schema.Schema);
        await Assertions.Expect(page.GetByTestId("system-database")).ToHaveTextAsync("sqlite");
        await Assertions.Expect(page.GetByTestId("system-storage")).ToHaveTextAsync("filesystem");
        await Assertions.Expect(page.Locator("li[data-check=\"database\"]")).ToContainTextAsync("ok");
        await Assertions.Expect(page.Locator("li[data-check=\"data-directory\"]")).ToContainTextAsync("ok");

        var gc = page.Locator("tr[data-job=\"Garbage collection\"]");
        await Assertions.Expect(gc).ToContainTextAsync("by system");
        await Assertions.Expect(gc.Locator("[data-outcome]")).ToHaveTextAsync("success");
        await Assertions.Expect(page.Locator("tr[data-job=\"Upload purge\"]")).ToContainTextAsync("not recorded");
        await Assertions.Expect(page.Locator("tr[data-job=\"Retention\"]")).ToContainTextAsync("no run recorded");

        await Assertions.Expect(page.Locator("tr[data-setting=\"Dockyard:Health:MinFreeBytes\"]")).ToContainTextAsync("1024");
        await Assertions.Expect(page.Locator("tr[data-setting=\"Dockyard:Ldap:BindPassword\"]")).ToContainTextAsync("********");
        await Assertions.Expect(page.Locator("tr[data-setting=\"Dockyard:Ldap:BindPassword\"] .badge")).ToHaveTextAsync("masked");
        await Assertions.Expect(page.Locator("tr[data-setting=\"Dockyard:Example:Mirror\"]")).ToContainTextAsync("https://ci:********@mirror.example/v2/");
        var html = await page.ContentAsync();
        Assert.DoesNotContain(BindPassword, html, StringComparison.Ordinal);
        Assert.DoesNotContain(UrlPassword, html, StringComparison.Ordinal);

        await UiPageChecks.ScreenshotAsync(page, "system");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/system");
    }

    [Fact]
    public async Task Other_users_are_refused_and_see_no_system_link()
    {
        await _server.Seed.UserAsync("bob", "bob-password-12");
        var page = await _server.SignInAsync("bob", "bob-password-12");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "System" })).ToHaveCountAsync(0);

        var response = await page.GotoAsync("/system");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();
        Assert.DoesNotContain(BindPassword, await page.ContentAsync(), StringComparison.Ordinal);
    }
}
