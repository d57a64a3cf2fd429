using System.Text.RegularExpressions;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// The audit log's "hide sign-ins and token issues" toggle (filtered on the server: the table, its count and the
/// CSV export agree), the distinct failed badge, and the detail page of one entry (request id, user agent, source,
/// details, hash chain) with links to the objects it names; an organization owner reaches only their entries.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiAuditEntryTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "root-password-12";

    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Toggle_hides_sign_ins_on_the_server_and_the_csv_export_matches_the_table()
    {
        await _server.Seed.UserAsync("root", Password, admin: true);
        await _server.Seed.UserAsync("bob", "bob-password-12");
        await _server.SignInAsync("bob", "bob-password-12");
        var failed = await _server.NewPageAsync();
        await failed.GotoAsync("/login");
        await failed.GetByLabel("Username").FillAsync("bob");
        await failed.GetByLabel("Password").FillAsync("wrong-password-1");
        await failed.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(failed.GetByTestId("login-error")).ToBeVisibleAsync();
        var page = await _server.SignInAsync("root", Password);
        await CreateOrganizationAsync(page, "acme");

        await page.GotoAsync("/audit");
        var rows = page.GetByTestId("audit-table").Locator("tbody tr");
        await Assertions.Expect(rows.And(page.Locator("[data-action=\"auth.login.success\"]"))).ToHaveCountAsync(2);

        await page.GetByTestId("hide-sign-ins").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await UiTestServer.WaitForUrlAsync(page, new Regex(@"[?&]hideSignIns=true(&|$)"));
        await Assertions.Expect(page.GetByTestId("hide-sign-ins")).ToBeCheckedAsync();
        await Assertions.Expect(rows.And(page.Locator("[data-action=\"auth.login.success\"]"))).ToHaveCountAsync(0);
        await Assertions.Expect(rows.And(page.Locator("[data-action=\"org.create\"]"))).ToHaveCountAsync(1);

        // A failed sign-in stays, with a badge of its own.
        var failure = rows.And(page.Locator("[data-action=\"auth.login.failure\"]"));
        await Assertions.Expect(failure).ToHaveCountAsync(1);
        await Assertions.Expect(failure.Locator("[data-outcome=\"failed\"]")).ToHaveClassAsync(new Regex(@"\bbadge-failed\b"));
        await Assertions.Expect(rows.And(page.Locator("[data-action=\"org.create\"]")).Locator("[data-outcome]")).ToHaveClassAsync(new Regex(@"\bbadge-public\b"));

        var shown = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        await Assertions.Expect(page.GetByTestId("audit-count")).ToHaveTextAsync($"{shown.Length} entries, newest first");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
        await using var stream = await download.CreateReadStreamAsync();
        using var reader = new StreamReader(stream);
        var csv = await reader.ReadToEndAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.DoesNotContain(lines, l => l.Contains("auth.login.success", StringComparison.Ordinal));

        // The export is recorded before it streams, so its own entry comes last; the rest is the table, oldest first.
        Assert.Contains("audit.export", lines[^1], StringComparison.Ordinal);
        Assert.Equal(Enumerable.Reverse(shown), lines.Take(lines.Count - 1).Select(l => l.Split(',')[0]));

        await UiAccessibility.AssertAccessibleEverywhereAsync(page, "/audit?hideSignIns=true");
    }

    [Fact]
    public async Task Detail_page_shows_request_id_user_agent_and_chain_and_an_owner_sees_only_their_organizations()
    {
        await _server.Seed.UserAsync("root", Password, admin: true);
        var olivia = await _server.Seed.UserAsync("olivia", "olivia-password-1");
        var page = await _server.SignInAsync("root", Password);
        await CreateOrganizationAsync(page, "acme");
        await CreateOrganizationAsync(page, "globex");
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            await _server.Seed.MemberAsync(await db.Organizations.Where(o => o.Name == "acme").Select(o => o.Id).SingleAsync(), olivia, owner: true);
        }

        await page.GotoAsync("/audit?action=org.create");
        var acmeRow = page.GetByTestId("audit-table").Locator("tbody tr").Filter(new() { HasText = "orgs/acme" });
        await acmeRow.GetByTestId("audit-entry-link").ClickAsync();
        await UiTestServer.WaitForUrlAsync(page, new Regex(@"/audit/\d+$"));
        var acmeId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        await using var check = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var acme = await check.AuditEntries.SingleAsync(e => e.Id == acmeId);
        var globexId = await check.AuditEntries.Where(e => e.Action == "org.create" && e.Organization == "globex").Select(e => e.Id).SingleAsync();
        Assert.Equal("org.create", acme.Action);
        Assert.False(string.IsNullOrEmpty(acme.RequestId));
        await Assertions.Expect(page.GetByTestId("audit-request-id")).ToHaveTextAsync(acme.RequestId!);
        await Assertions.Expect(page.GetByTestId("audit-user-agent")).ToHaveTextAsync(acme.UserAgent!);
        Assert.Contains("Chrome", acme.UserAgent, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("audit-source")).ToHaveTextAsync(acme.SourceIp!);
        await Assertions.Expect(page.GetByTestId("audit-details")).ToContainTextAsync("\"name\": \"acme\"");
        await Assertions.Expect(page.GetByTestId("audit-position")).ToHaveTextAsync($"entry {acmeId} of the chain");
        await Assertions.Expect(page.GetByTestId("audit-chain-check")).ToHaveTextAsync("this entry's hash matches its content and the previous hash");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "orgs/acme", Exact = true })).ToHaveAttributeAsync("href", "/orgs/acme");
        await Assertions.Expect(page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "root", Exact = true })).ToHaveAttributeAsync("href", "/audit?actor=root");
        await UiPageChecks.ScreenshotAsync(page, "audit-entry");

        // The owner of acme reads acme's entry; globex's answers 404 like one that does not exist.
        var owner = await _server.SignInAsync("olivia", "olivia-password-1");
        var allowed = await owner.GotoAsync($"/audit/{acmeId}");
        Assert.Equal(200, allowed!.Status);
        await Assertions.Expect(owner.GetByTestId("audit-request-id")).ToHaveTextAsync(acme.RequestId!);
        var forbidden = await owner.GotoAsync($"/audit/{globexId}");
        Assert.Equal(404, forbidden!.Status);
        await Assertions.Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        Assert.DoesNotContain("globex", await owner.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        var missing = await page.GotoAsync("/audit/999999");
        Assert.Equal(404, missing!.Status);
        await UiAccessibility.AssertAccessibleEverywhereAsync(page, $"/audit/{acmeId}");
    }

    private static async Task CreateOrganizationAsync(IPage page, string name)
    {
        await page.GotoAsync("/orgs");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create organization" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, $"/orgs/{name}");
    }
}
