using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// The audit log page: actions done in the UI are on the record like API actions, the filters narrow the table,
/// and both downloads contain exactly the filtered entries; an organization owner sees only their organization.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiAuditLogTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Admin_filters_the_audit_log_and_exports_csv_and_jsonl_matching_the_filter()
    {
        await _server.Seed.UserAsync("root", "root-password-12", admin: true);
        await _server.Seed.UserAsync("bob", "bob-password-12");
        var page = await _server.SignInAsync("root", "root-password-12");

        // Two UI actions of interest, and noise (logins, a member add).
        foreach (var name in new[] { "acme", "globex" })
        {
            await page.GotoAsync("/orgs");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create organization" }).ClickAsync();
            await UiTestServer.WaitForPathAsync(page, $"/orgs/{name}");
        }

        await page.GetByLabel("Add user").FillAsync("bob");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-member=\"bob\"]")).ToBeVisibleAsync();
        await _server.SignInAsync("bob", "bob-password-12");

        await page.GotoAsync("/audit");
        await page.GetByLabel("Action").FillAsync("org.create");
        await page.GetByLabel("Actor").FillAsync("root");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await UiTestServer.WaitForUrlAsync(page, new Regex(@"[?&]action=org\.create(&|$)"));
        var rows = page.GetByTestId("audit-table").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.First).ToContainTextAsync("orgs/globex"); // newest first
        await Assertions.Expect(page.GetByTestId("audit-count")).ToHaveTextAsync("2 entries, newest first");

        var csv = await DownloadAsync(page, "export-csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length); // header + 2
        Assert.StartsWith("id,", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.Contains("org.create", line, StringComparison.Ordinal));

        var jsonl = await DownloadAsync(page, "export-jsonl");
        var entries = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["orgs/acme", "orgs/globex"], entries.Select(e => e.GetProperty("resource").GetString()));
        Assert.All(entries, e =>
        {
            Assert.Equal("org.create", e.GetProperty("action").GetString());
            Assert.Equal("root", e.GetProperty("actorName").GetString());
            Assert.Equal("success", e.GetProperty("outcome").GetString());
        });

        // The exports themselves are on the record, with the filter they used.
        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var exports = await db.AuditEntries.Where(e => e.Action == "audit.export").ToListAsync();
        Assert.Equal(2, exports.Count);
        Assert.All(exports, e => Assert.Contains("\"action\":\"org.create\"", e.Details, StringComparison.Ordinal));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "org.member.add" && e.ActorName == "root" && e.Resource == "orgs/globex/members/bob" && e.Organization == "globex"));
    }

    [Fact]
    public async Task Organization_owner_sees_only_their_organizations_entries()
    {
        var owner = await _server.Seed.UserAsync("olivia", "olivia-password-1");
        await _server.Seed.UserAsync("root", "root-password-12", admin: true);
        var acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.OrganizationAsync("globex");
        await _server.Seed.MemberAsync(acme, owner, owner: true);

        var admin = await _server.SignInAsync("root", "root-password-12");
        foreach (var org in new[] { "acme", "globex" })
        {
            await admin.GotoAsync($"/orgs/{org}");
            await admin.GetByLabel("New team").FillAsync("devs");
            await admin.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
            await UiTestServer.WaitForPathAsync(admin, $"/orgs/{org}/teams/devs");
        }

        var page = await _server.SignInAsync("olivia", "olivia-password-1");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Audit" })).ToHaveCountAsync(0);
        await page.GotoAsync("/audit?action=team.create");
        var rows = page.GetByTestId("audit-table").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("orgs/acme/teams/devs");
        var jsonl = await DownloadAsync(page, "export-jsonl");
        var line = Assert.Single(jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"organization\":\"acme\"", line, StringComparison.Ordinal);
    }

    private static async Task<string> DownloadAsync(IPage page, string testId)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId(testId).ClickAsync());
        await using var stream = await download.CreateReadStreamAsync();
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
