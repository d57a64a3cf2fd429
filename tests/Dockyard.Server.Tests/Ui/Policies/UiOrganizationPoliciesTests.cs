using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Policies;

/// <summary>
/// /orgs/{org}/policies and /repositories/{name}/-/policies: an owner sets immutability and retention, previews
/// retention and runs it — the run deletes exactly the tags the preview listed; a system administrator sets the quota
/// and sees the usage bar; a member sees it all without the forms.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiOrganizationPoliciesTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string OwnerPassword = "olivia-password-1";
    private const string MemberPassword = "bob-password-123";
    private const string AdminPassword = "root-password-12";
    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        await _server.Seed.UserAsync("root", AdminPassword, admin: true);
        var olivia = await _server.Seed.UserAsync("olivia", OwnerPassword);
        var bob = await _server.Seed.UserAsync("bob", MemberPassword);
        var acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.MemberAsync(acme, olivia, owner: true);
        await _server.Seed.MemberAsync(acme, bob);
        var registry = await _server.RegistryAsync("olivia", OwnerPassword, "acme/app", "acme/web");
        foreach (var tag in new[] { "1.0", "1.1", "v1", "1.2", "latest" })
        {
            await UiTestServer.PushImageAsync(registry, "acme/app", tag, $$$"""{"architecture":"amd64","os":"linux","config":{"Env":["TAG={{{tag}}}"]}}""", $"app layer {tag} " + new string('a', 3000));
            await Task.Delay(20); // distinct push times: "most recently pushed" is by time
        }

        foreach (var tag in new[] { "2.0", "2.1", "2.2" })
        {
            await UiTestServer.PushImageAsync(registry, "acme/web", tag, $$$"""{"architecture":"arm64","os":"linux","config":{"Env":["TAG={{{tag}}}"]}}""", $"web layer {tag} " + new string('w', 1000));
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Owner_sets_rules_and_retention_the_run_deletes_exactly_the_previewed_tags_admin_sets_quota_member_views()
    {
        var page = await _server.SignInAsync("olivia", OwnerPassword);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // "Run now" asks for confirmation
        await page.GotoAsync("/orgs/acme");
        await page.GetByRole(AriaRole.Link, new() { Name = "Policies", Exact = true }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/orgs/acme/policies");

        await page.GetByLabel("Tag pattern").FillAsync("v*");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-rule=\"v*\"]")).ToBeVisibleAsync();

        await page.GetByLabel("Keep the most recent tags").FillAsync("1");
        await page.GetByLabel("Always keep tags matching (comma-separated)").FillAsync("latest");
        await page.GetByLabel("Also delete recently pushed tags").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create retention policy" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("retention-policy")).ToContainTextAsync("keep the 1 most recently pushed tags; keep tags matching latest");

        await page.GetByRole(AriaRole.Button, new() { Name = "Preview (dry run)" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("retention-result")).ToContainTextAsync("Nothing was deleted");
        // Each of these tags was its manifest's only one, so the manifests go with them: compare the tags they take.
        var previewed = await ReferencesAsync(page, "tr[data-retention-delete]", "data-retention-tags");
        // acme/app keeps latest (newest, and by pattern) and v1 (immutable); acme/web keeps 2.2 (newest).
        Assert.Equal(["acme/app:1.0", "acme/app:1.1", "acme/app:1.2", "acme/web:2.0", "acme/web:2.1"], previewed);
        var kept = await ReferencesAsync(page, "tr[data-retention-keep]", "data-retention-keep");
        Assert.Contains("acme/app:v1", kept);
        Assert.Contains("acme/app:latest", kept);
        Assert.Equal(["1.0", "1.1", "1.2", "latest", "v1"], await TagsAsync("acme/app")); // a dry run deletes nothing
        await UiAccessibility.AssertAccessibleEverywhereAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("retention-result")).ToContainTextAsync("Deleted 5");
        Assert.Equal(previewed, await ReferencesAsync(page, "tr[data-retention-delete]", "data-retention-tags"));
        Assert.Equal(["latest", "v1"], await TagsAsync("acme/app"));
        Assert.Equal(["2.2"], await TagsAsync("acme/web"));
        await using (var db = await Db())
        {
            Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "retention.run" && e.ActorName == "olivia" && e.Outcome == "success"));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "policy.immutability.create" && e.ActorName == "olivia" && e.Organization == "acme"));
        }

        // The repository page shows what the organization adds; the repository's own rule goes in its own list.
        await page.GotoAsync("/repositories/acme/app/-/settings");
        await page.GetByRole(AriaRole.Link, new() { Name = "Policies", Exact = true }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories/acme/app/-/policies");
        await Assertions.Expect(page.GetByTestId("inherited-rules")).ToContainTextAsync("v*");
        await Assertions.Expect(page.GetByTestId("retention-policy")).ToContainTextAsync("From acme");
        await page.GetByLabel("Tag pattern").FillAsync("release-*");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-rule=\"release-*\"]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview (dry run)" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("retention-result")).ToContainTextAsync("would delete 0");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page);

        // Quota: system administrators only; the bar shows used / quota.
        var admin = await _server.SignInAsync("root", AdminPassword);
        await admin.GotoAsync("/orgs/acme/policies");
        await admin.GetByLabel("Quota", new() { Exact = true }).FillAsync("1");
        await admin.GetByLabel("Unit").SelectOptionAsync("MiB");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Set quota" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("form-ok")).ToBeVisibleAsync();
        var meter = admin.GetByRole(AriaRole.Meter, new() { Name = "Storage used by acme" });
        await Assertions.Expect(meter).ToHaveAttributeAsync("max", (1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(admin.GetByTestId("usage")).ToContainTextAsync("of 1 MiB (");
        using (var api = Api("root", AdminPassword))
        using (var quota = JsonDocument.Parse(await api.GetStringAsync("/api/v1/orgs/acme/quota")))
        {
            Assert.Equal(1 << 20, quota.RootElement.GetProperty("limitBytes").GetInt64());
            var used = quota.RootElement.GetProperty("usedBytes").GetInt64();
            await Assertions.Expect(meter).ToHaveAttributeAsync("value", used.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await UiAccessibility.AssertAccessibleEverywhereAsync(admin);
        await UiPageChecks.ScreenshotAsync(admin, "policies-org");

        // A member sees rules, policy, quota and sizes, and no forms.
        var member = await _server.SignInAsync("bob", MemberPassword);
        await member.GotoAsync("/orgs/acme/policies");
        await Assertions.Expect(member.Locator("tr[data-rule=\"v*\"]")).ToBeVisibleAsync();
        await Assertions.Expect(member.GetByRole(AriaRole.Meter, new() { Name = "Storage used by acme" })).ToBeVisibleAsync();
        await Assertions.Expect(member.Locator("tr[data-repository-size]")).ToHaveCountAsync(0); // bob has no grant on the private repositories
        await Assertions.Expect(member.GetByRole(AriaRole.Button, new() { Name = "Add rule" })).ToHaveCountAsync(0);
        await Assertions.Expect(member.GetByRole(AriaRole.Button, new() { Name = "Set quota" })).ToHaveCountAsync(0);
        await Assertions.Expect(member.GetByRole(AriaRole.Button, new() { Name = "Preview (dry run)" })).ToHaveCountAsync(0);
        await UiAccessibility.AssertAccessibleEverywhereAsync(member);
    }

    private static async Task<List<string>> ReferencesAsync(IPage page, string selector, string attribute)
    {
        var references = new List<string>();
        foreach (var row in await page.Locator(selector).AllAsync())
        {
            references.AddRange((await row.GetAttributeAsync(attribute) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        references.Sort(StringComparer.Ordinal);
        return references;
    }

    private async Task<List<string>> TagsAsync(string repository)
    {
        await using var db = await Db();
        return await db.Tags.AsNoTracking().Where(t => t.Repository == repository).OrderBy(t => t.Name).Select(t => t.Name).ToListAsync();
    }

    private Task<DockyardDbContext> Db() => _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();

    private HttpClient Api(string username, string password)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        return client;
    }
}
