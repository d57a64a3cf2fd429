using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// The untagged-manifests page (select and delete, "older than" preview then run) and the image page of a platform
/// image, an artifact and an image whose history has steps without a layer; each checked with axe-core at desktop
/// and phone width, light and dark.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiUntaggedManifestsTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";
    private const string Repository = "prod/app";

    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        // No recent window: the "older than 0 days" clean-up may take what this test pushed a moment ago.
        _server = await UiTestServer.StartAsync(browser, new Dictionary<string, string?> { ["Dockyard:Retention:RecentWindow"] = "00:00:00" });
        await _server.Seed.UserAsync("root", Password, admin: true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Untagged_page_lists_references_deletes_a_selection_and_runs_older_than_after_a_preview()
    {
        var registry = await _server.RegistryAsync("root", Password, Repository);
        var seeded = await UntaggedManifestsApiTests.SeedAsync(registry);
        var page = await _server.SignInAsync("root", Password);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.GotoAsync($"/repositories/{Repository}");
        await page.GetByTestId("untagged-link").ClickAsync();
        await UiTestServer.WaitForPathAsync(page, $"/repositories/{Repository}/-/untagged");
        var table = page.GetByTestId("untagged-table");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(5);
        var arm = table.Locator($"tr[data-digest='{seeded.Arm}']");
        await Assertions.Expect(arm).ToHaveAttributeAsync("data-referenced", "true");
        await Assertions.Expect(arm).ToContainTextAsync("held by index");
        await Assertions.Expect(arm).ToContainTextAsync("(tags: multi)");
        await Assertions.Expect(arm).ToContainTextAsync("linux/arm64");
        await Assertions.Expect(table.Locator($"tr[data-digest='{seeded.IndexSignature}']")).ToContainTextAsync("Signature");
        await Assertions.Expect(table.Locator($"tr[data-digest='{seeded.Plain}']")).ToHaveAttributeAsync("data-referenced", "false");
        await UiPageChecks.ScreenshotAsync(page, "untagged");

        // Select one and delete: its signature is left without a subject, so it becomes unreferenced.
        await page.GetByLabel($"Select {seeded.Plain}").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete selected" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("untagged-result")).ToHaveTextAsync("1 manifest(s) deleted.");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(table.Locator($"tr[data-digest='{seeded.PlainSignature}']")).ToHaveAttributeAsync("data-referenced", "false");
        await Assertions.Expect(table.Locator($"tr[data-digest='{seeded.PlainSignature}']")).ToContainTextAsync("(not in this repository)");

        // Select all: without "also delete referenced", the index's platform images and signature stay, each with why.
        await page.GetByLabel("Select all on this page").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete selected" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("untagged-result")).ToHaveTextAsync("1 manifest(s) deleted, 3 skipped.");
        await Assertions.Expect(page.GetByTestId("untagged-outcomes").Locator("li")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("untagged-outcomes")).ToContainTextAsync($"held by index {seeded.Index} (tags: multi)");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(3);

        // Older than 0 days: the preview lists what goes and what stays and why; the run deletes what it listed.
        var (_, stale) = await registry.PushImageAsync(Repository, "stale");
        using (var untag = await registry.SendAsync(HttpMethod.Delete, $"/v2/{Repository}/manifests/stale"))
        {
            untag.EnsureSuccessStatusCode();
        }

        await page.GotoAsync($"/repositories/{Repository}/-/untagged");
        await page.GetByLabel("Older than (days)").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await UiTestServer.WaitForUrlAsync(page, new System.Text.RegularExpressions.Regex("[?&]olderThan=0(&|$)"));
        await Assertions.Expect(page.GetByTestId("cleanup-planned").Locator("li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("cleanup-planned").Locator($"li[data-digest='{stale}']")).ToContainTextAsync("untagged and pushed more than");
        await Assertions.Expect(page.GetByTestId("cleanup-kept").Locator($"li[data-digest='{seeded.Arm}']")).ToContainTextAsync("listed by a kept index");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(4);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete 1 manifest(s)" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("untagged-result")).ToHaveTextAsync("1 untagged manifest(s) older than 0 days deleted.");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(table.Locator($"tr[data-digest='{stale}']")).ToHaveCountAsync(0);

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var deletes = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.ManifestDelete && e.Outcome == AuditOutcomes.Success && e.ActorName == "root" && e.Repository == Repository).ToListAsync();
        Assert.Equal(new[] { seeded.Plain, seeded.PlainSignature, stale }.Order(), deletes.Select(e => e.Digest).Order());

        // Checked last, so that the flow above is verified whatever the layout does at phone width.
        await page.GotoAsync($"/repositories/{Repository}/-/untagged?olderThan=0");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page);
    }

    [Fact]
    public async Task Image_page_links_a_platform_image_to_its_index_shows_an_artifact_and_history_steps_without_layers()
    {
        var registry = await _server.RegistryAsync("root", Password, Repository);
        var seeded = await UntaggedManifestsApiTests.SeedAsync(registry);
        const string HistoryConfig = """
            {"architecture":"amd64","os":"linux","config":{"Env":["MODE=prod"],"WorkingDir":"/app","Cmd":["/app/run"]},
             "history":[{"created_by":"ENV MODE=prod","empty_layer":true},{"created_by":"COPY app /app"},
                        {"created_by":"WORKDIR /app","empty_layer":true},{"created_by":"CMD [\"/app/run\"]","empty_layer":true}]}
            """;
        await UiTestServer.PushImageAsync(registry, Repository, "history", HistoryConfig, "app files");
        var page = await _server.SignInAsync("root", Password);

        // A platform image names the index that holds it, and the index's tags.
        await page.GotoAsync($"/repositories/{Repository}/-/manifests/{Uri.EscapeDataString(seeded.Arm)}");
        var heldBy = page.GetByTestId("held-by");
        await Assertions.Expect(heldBy).ToContainTextAsync(seeded.Index[..19]);
        await heldBy.GetByRole(AriaRole.Link, new() { Name = "multi" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, $"/repositories/{Repository}/-/manifests/multi");
        await Assertions.Expect(page.GetByTestId("children").Locator("tbody tr")).ToHaveCountAsync(2);

        // An artifact: its type, its subject (linked, with the subject's tags), annotations and blobs; no configuration card.
        await page.GotoAsync($"/repositories/{Repository}/-/manifests/{Uri.EscapeDataString(seeded.IndexSignature)}");
        var artifact = page.GetByTestId("artifact");
        await Assertions.Expect(artifact.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Signature");
        await Assertions.Expect(page.GetByTestId("artifact-type")).ToHaveTextAsync("application/vnd.dev.cosign.artifact.sig.v1+json");
        await Assertions.Expect(page.GetByTestId("artifact-subject").GetByRole(AriaRole.Link, new() { Name = "multi" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("config")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Configuration" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("blobs").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("section[aria-labelledby='annotations-title']")).ToContainTextAsync("dev.sigstore.cosign/signer=ci@example.com");
        await page.GetByTestId("artifact-subject").GetByRole(AriaRole.Link).First.ClickAsync();
        await UiTestServer.WaitForPathAsync(page, $"/repositories/{Repository}/-/manifests/{Uri.EscapeDataString(seeded.Index)}");

        // The history in build order, the steps that made no layer marked as such.
        await page.GotoAsync($"/repositories/{Repository}/-/manifests/history");
        var rows = page.GetByTestId("layers").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("no layer");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("ENV MODE=prod");
        await Assertions.Expect(rows.Nth(1)).ToHaveAttributeAsync("data-layer", "1");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("COPY app /app");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("WORKDIR /app");
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("CMD [\"/app/run\"]");
        await Assertions.Expect(page.GetByTestId("layers").Locator("tbody tr[data-empty-step]")).ToHaveCountAsync(3);

        // Checked last (history, platform image, artifact), so that the flow above is verified whatever the layout does at phone width.
        await UiAccessibility.AssertAccessibleEverywhereAsync(page);
        await page.GotoAsync($"/repositories/{Repository}/-/manifests/{Uri.EscapeDataString(seeded.Arm)}");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page);
        await page.GotoAsync($"/repositories/{Repository}/-/manifests/{Uri.EscapeDataString(seeded.IndexSignature)}");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page);
    }
}
