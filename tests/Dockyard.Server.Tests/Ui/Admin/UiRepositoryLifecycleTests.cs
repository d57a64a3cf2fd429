using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// The repository lifecycle in the browser: "New repository" (from the repository list and from the organization),
/// landing on its settings to grant CI before the first push, the empty repository's push command, a real push by
/// the grantee that keeps the prepared settings, and the danger zones with typed-name confirmation for the repository
/// and the organization. The new page and the danger zones pass axe (light, dark, phone width).
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiRepositoryLifecycleTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "olivia-password-1";
    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        var olivia = await _server.Seed.UserAsync("olivia", Password);
        var ci = await _server.Seed.UserAsync("ci-bot", "ci-bot-password-1");
        var acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.MemberAsync(acme, olivia, owner: true);
        await _server.Seed.MemberAsync(acme, ci);
        var platform = await _server.Seed.OrganizationAsync("platform");
        await _server.Seed.MemberAsync(platform, olivia, owner: true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_grant_push_then_delete_with_typed_name()
    {
        var page = await _server.SignInAsync("olivia", Password);
        await page.GotoAsync("/repositories");
        await page.GetByRole(AriaRole.Link, new() { Name = "New repository" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories/-/new");
        await Assertions.Expect(page.GetByLabel("Namespace").Locator("option")).ToHaveTextAsync(["acme", "olivia", "platform"]);
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/repositories/-/new");
        await UiPageChecks.ScreenshotAsync(page, "repository-new");

        await page.GetByLabel("Namespace").SelectOptionAsync("acme");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Not Valid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create repository" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-error")).ToContainTextAsync("lowercase");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("payments");
        await page.GetByLabel("Public: anyone may pull").CheckAsync();
        await page.GetByLabel("Description (Markdown, optional)").FillAsync("Payments API, built by CI.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create repository" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories/acme/payments/-/settings");
        await Assertions.Expect(page.GetByTestId("form-ok")).ToHaveTextAsync("Created.");

        // Grants are prepared before the first push, then the danger zone passes axe too.
        await page.GetByLabel("User or team").FillAsync("ci-bot");
        await page.Locator("#grant-role").SelectOptionAsync("write");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-grant=\"user:ci-bot\"]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("delete-repository")).ToBeVisibleAsync();
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/repositories/acme/payments/-/settings");

        await page.GotoAsync("/repositories/acme/payments");
        await Assertions.Expect(page.GetByTestId("push-command")).ToContainTextAsync("docker push");
        await Assertions.Expect(page.GetByTestId("push-command")).ToContainTextAsync("/acme/payments:latest");

        // The grantee's first push: allowed by the prepared grant, and the settings stay.
        var registry = await _server.RegistryAsync("ci-bot", "ci-bot-password-1", "acme/payments");
        await UiTestServer.PushImageAsync(registry, "acme/payments", "v1", "{\"architecture\":\"amd64\",\"os\":\"linux\"}", $"layer {Guid.NewGuid():N}");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("visibility")).ToHaveTextAsync("public");
        await Assertions.Expect(page.GetByTestId("description")).ToContainTextAsync("Payments API, built by CI.");

        // Delete: a wrong name deletes nothing; the right one does.
        await page.GotoAsync("/repositories/acme/payments/-/settings");
        await page.GetByLabel("Type acme/payments to confirm").FillAsync("acme/payment");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete repository" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-error")).ToContainTextAsync("nothing was deleted");
        Assert.True(await ExistsAsync("acme/payments"));

        await page.GetByLabel("Type acme/payments to confirm").FillAsync("acme/payments");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete repository" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories");
        Assert.False(await ExistsAsync("acme/payments"));
        await using var db = await Db();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "repository.delete" && e.ActorName == "olivia" && e.Outcome == "success"));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "repository.create" && e.Repository == "acme/payments"));
    }

    [Fact]
    public async Task Organization_danger_zone_counts_repositories_and_deletes_them_with_it()
    {
        var page = await _server.SignInAsync("olivia", Password);
        await page.GotoAsync("/orgs/platform");
        await page.GetByRole(AriaRole.Link, new() { Name = "New repository" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories/-/new");
        await Assertions.Expect(page.GetByLabel("Namespace")).ToHaveValueAsync("platform");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("nginx");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create repository" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories/platform/nginx/-/settings");
        var registry = await _server.RegistryAsync("olivia", Password, "platform/postgres");
        await UiTestServer.PushImageAsync(registry, "platform/postgres", "16", "{\"architecture\":\"amd64\",\"os\":\"linux\"}", $"layer {Guid.NewGuid():N}");

        await page.GotoAsync("/orgs/platform");
        await Assertions.Expect(page.GetByTestId("org-delete-scope")).ToContainTextAsync("its 2 repositories");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/orgs/platform");

        await page.GetByLabel("Type platform to confirm").FillAsync("platform");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete organization" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/orgs");
        await using var db = await Db();
        Assert.False(await db.Organizations.AnyAsync(o => o.Name == "platform"));
        Assert.False(await db.Repositories.AnyAsync(r => r.Name.StartsWith("platform/")));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "repository.delete" && e.Outcome == "success" && e.Organization == "platform"));
    }

    private async Task<bool> ExistsAsync(string repository)
    {
        await using var db = await Db();
        return await db.Repositories.AnyAsync(r => r.Name == repository);
    }

    private async Task<DockyardDbContext> Db() =>
        await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
}
