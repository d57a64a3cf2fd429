using System.Text;
using Dockyard.Server.Data;
using Dockyard.Server.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Policies;

/// <summary>
/// /storage: a system administrator reaches it from the menu, sees storage per namespace and repository, changes the
/// garbage collection schedule (stored and audited), runs a dry run and a real collection and finds both in the last
/// runs with what they reclaimed; others get 403.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiStoragePageTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string AdminPassword = "root-password-12";
    private UiTestServer _server = null!;

    // No grace: the orphan blob pushed below is collectable at once.
    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser, new Dictionary<string, string?> { ["Dockyard:GarbageCollection:Grace"] = "00:00:00" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Admin_sees_usage_sets_the_schedule_and_runs_gc_which_is_listed_with_its_reclaimed_bytes()
    {
        await _server.Seed.UserAsync("root", AdminPassword, admin: true);
        await _server.Seed.UserAsync("plain", "plain-password-1");
        await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.OrganizationAsync("platform");
        var registry = await _server.RegistryAsync("root", AdminPassword, "acme/app", "acme/web", "platform/nginx", "root/scratch");
        await UiTestServer.PushImageAsync(registry, "acme/app", "1.0", """{"architecture":"amd64","os":"linux"}""", "app " + new string('a', 40_000));
        await UiTestServer.PushImageAsync(registry, "acme/web", "1.0", """{"architecture":"amd64","os":"linux"}""", "web " + new string('w', 20_000));
        await UiTestServer.PushImageAsync(registry, "platform/nginx", "1.27", """{"architecture":"arm64","os":"linux"}""", "nginx " + new string('n', 10_000));
        var orphan = Encoding.UTF8.GetBytes("orphan " + new string('o', 5_000));
        await registry.PushBlobAsync("root/scratch", orphan); // no manifest refers to it: garbage

        var page = await _server.SignInAsync("root", AdminPassword);
        await page.Locator("#site-nav button", new() { HasText = "Administration" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Storage", Exact = true }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/storage");
        var report = _server.Get<StorageReport>();
        var total = await report.TotalsAsync(CancellationToken.None);
        await Assertions.Expect(page.GetByTestId("storage-total")).ToContainTextAsync($"{ByteSize.Format(total.Bytes)} in {total.Blobs} distinct blobs");
        var repositories = page.Locator("tr[data-repository-size]");
        await Assertions.Expect(repositories.First).ToHaveAttributeAsync("data-repository-size", "acme/app"); // largest first
        var acmeUsed = await _server.Get<StorageUsage>().UsedBytesAsync("acme", CancellationToken.None);
        await Assertions.Expect(page.Locator("tr[data-namespace=\"acme\"]")).ToContainTextAsync($"{ByteSize.Format(acmeUsed)} used; no quota");
        await Assertions.Expect(page.Locator("tr[data-namespace=\"platform\"]")).ToBeVisibleAsync();

        // The schedule: an override stored in the settings table, recorded, shown.
        await page.GetByLabel("Run on a schedule").CheckAsync();
        await page.GetByLabel("Every").FillAsync("12h");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("gc-schedule")).ToContainTextAsync("Runs every 12h");
        await Assertions.Expect(page.GetByTestId("gc-schedule")).ToContainTextAsync("Set here by root");

        // A dry run, then a real run: both listed, newest first, the real one with the orphan's bytes.
        await page.GetByRole(AriaRole.Button, new() { Name = "Run garbage collection" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("gc-result")).ToContainTextAsync("Dry run: would delete 0 manifests");
        await Assertions.Expect(page.GetByTestId("gc-result")).ToContainTextAsync("and 1 blobs");
        Assert.True(File.Exists(BlobFile(orphan)));
        await page.GetByLabel("Dry run (report only)").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run garbage collection" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("gc-result")).ToContainTextAsync($"and 1 blobs, reclaimed {ByteSize.Format(orphan.Length)}");
        Assert.False(File.Exists(BlobFile(orphan)));
        var runs = page.Locator("tr[data-gc-run]");
        await Assertions.Expect(runs).ToHaveCountAsync(2);
        await Assertions.Expect(runs.Nth(0)).ToContainTextAsync("root");
        await Assertions.Expect(runs.Nth(0).GetByTestId("gc-reclaimed")).ToHaveTextAsync(ByteSize.Format(orphan.Length));
        await Assertions.Expect(runs.Nth(1)).ToContainTextAsync("dry run");

        await page.GotoAsync("/storage");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page);
        await UiPageChecks.ScreenshotAsync(page, "storage");

        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "settings.gc.update" && e.ActorName == "root" && e.Outcome == "success" && e.Details!.Contains("\"interval\":\"12h\"")));
            Assert.True(await db.Settings.AnyAsync(s => s.Key == "gc.schedule"));
        }

        var plain = await _server.SignInAsync("plain", "plain-password-1");
        await Assertions.Expect(plain.GetByRole(AriaRole.Link, new() { Name = "Storage", Exact = true })).ToHaveCountAsync(0);
        var response = await plain.GotoAsync("/storage");
        Assert.Equal(403, response!.Status);
    }

    private string BlobFile(byte[] content)
    {
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        return Path.Combine(_server.Server.DataDirectory, "storage", "blobs", "sha256", hex[..2], hex);
    }
}
