using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// The top bar's search box (suggestions as one types, drawn from what the user may pull) and the results page with
/// its filters, in Chromium; every state checked with axe-core at desktop and phone width, light and dark.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiSearchTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";

    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        await _server.Seed.UserAsync("root", Password, admin: true);
        await _server.Seed.UserAsync("eve", Password);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Search_box_suggests_only_visible_repositories_and_the_results_page_filters()
    {
        var registry = await _server.RegistryAsync("root", Password, "acme/payments-api", "hidden/payroll");
        await SearchApiTests.PushImageAsync(registry, "acme/payments-api", "1.1.0", "amd64", new() { ["team"] = "billing" }, null);
        await SearchApiTests.PushImageAsync(registry, "hidden/payroll", "2.0.0", "arm64", new() { ["team"] = "billing" }, null);
        await _server.Seed.VisibilityAsync("acme/payments-api", RepositoryVisibility.Public);
        await WaitForIndexAsync(2);

        var page = await _server.SignInAsync("eve", Password);
        var box = page.GetByTestId("topbar-search");
        await box.PressSequentiallyAsync("pay");
        var suggestions = page.Locator("#topbar-search-suggestions option");
        await Assertions.Expect(page.Locator("#topbar-search-suggestions option[value='acme/payments-api']")).ToHaveCountAsync(1);
        Assert.DoesNotContain(await suggestions.EvaluateAllAsync<string[]>("options => options.map(o => o.value)"), v => v.Contains("hidden", StringComparison.Ordinal));

        await box.PressAsync("Enter");
        await UiTestServer.WaitForPathAsync(page, "/search");
        var results = page.GetByTestId("search-results");
        await Assertions.Expect(results.Locator("li")).ToHaveCountAsync(1);
        await Assertions.Expect(results).ToContainTextAsync("acme/payments-api");
        await Assertions.Expect(results).ToContainTextAsync("linux/amd64");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page);

        // Filters on the results page: an architecture nothing visible has, then a bad label.
        await page.GetByLabel("Architecture").FillAsync("arm64");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("search-count")).ToHaveTextAsync("No repository matches.");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/search?label=team");
        await Assertions.Expect(page.GetByTestId("search-error")).ToContainTextAsync("label:");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/search");

        // The administrator sees both; the suggestion endpoint refuses anonymous callers.
        var admin = await _server.SignInAsync("root", Password);
        await admin.GotoAsync("/search?q=pay&label=team%3Dbilling");
        await Assertions.Expect(admin.GetByTestId("search-results").Locator("li")).ToHaveCountAsync(2);
        using var anonymous = await _server.CreateClient().GetAsync("/_ui/search/suggestions?q=pay");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private async Task WaitForIndexAsync(int documents)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
            {
                if (await db.SearchDocuments.CountAsync(d => d.TagCount > 0) >= documents)
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "the search index did not catch up in time");
            await Task.Delay(100);
        }
    }
}
