using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

[Collection(UiCollection.Name)]
public sealed class UiBrowseTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";

    private const string RichConfig = """
        {"architecture":"arm64","variant":"v8","os":"linux","created":"2026-11-20T10:15:30Z",
         "config":{"User":"app","ExposedPorts":{"8080/tcp":{}},"Env":["MODE=prod"],"Entrypoint":["/app/server"],"Cmd":["--port","8080"],
                   "WorkingDir":"/app","Labels":{"org.opencontainers.image.title":"Demo"}},
         "history":[{"created_by":"ADD app.tar /app"},{"created_by":"CMD [\"--port\" \"8080\"]","empty_layer":true}]}
        """;

    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        await _server.Seed.UserAsync("root", Password, admin: true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Anonymous_sees_only_public_repositories()
    {
        var registry = await _server.RegistryAsync("root", Password, "team/public-app", "team/secret-app");
        await UiTestServer.PushImageAsync(registry, "team/public-app", "1", RichConfig, "a");
        await UiTestServer.PushImageAsync(registry, "team/secret-app", "1", RichConfig, "b");
        await _server.Seed.VisibilityAsync("team/public-app", RepositoryVisibility.Public);

        var page = await _server.NewPageAsync();
        await page.GotoAsync("/repositories");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "team/public-app" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "team/secret-app" })).ToHaveCountAsync(0);
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("stat-repositories")).ToHaveTextAsync("1");

        var hidden = await page.GotoAsync("/repositories/team/secret-app");
        Assert.Equal((int)HttpStatusCode.NotFound, hidden!.Status);
        var hiddenImage = await page.GotoAsync("/repositories/team/secret-app/-/manifests/1");
        Assert.Equal((int)HttpStatusCode.NotFound, hiddenImage!.Status);
        var missing = await page.GotoAsync("/repositories/team/nothing-here");
        Assert.Equal((int)HttpStatusCode.NotFound, missing!.Status);

        // Public: readable, but nothing to delete for anonymous callers.
        await page.GotoAsync("/repositories/team/public-app");
        await Assertions.Expect(page.GetByTestId("tags-table").Locator("tr[data-tag='1']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete tag 1" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Repository_list_searches_filters_by_namespace_and_pages()
    {
        var registry = await _server.RegistryAsync("root", Password, [.. Enumerable.Range(0, 27).Select(i => $"alpha/app{i:00}"), "beta/tool"]);
        for (var i = 0; i < 27; i++)
        {
            await UiTestServer.PushImageAsync(registry, $"alpha/app{i:00}", "1", RichConfig, $"alpha {i}");
        }

        await UiTestServer.PushImageAsync(registry, "beta/tool", "1", RichConfig, "beta");
        using (var db = await _server.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Dockyard.Server.Data.DockyardDbContext>>().CreateDbContextAsync())
        {
            var tool = await db.Repositories.FindAsync("beta/tool");
            tool!.Description = "A Swiss-army knife";
            await db.SaveChangesAsync();
        }

        var page = await _server.SignInAsync("root", Password);
        await page.GotoAsync("/repositories");
        await Assertions.Expect(page.GetByTestId("repository-count")).ToContainTextAsync("28 repositories");
        await Assertions.Expect(page.Locator(".repo-list > li")).ToHaveCountAsync(25);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).ClickAsync();
        await Assertions.Expect(page.Locator(".repo-list > li")).ToHaveCountAsync(3);

        // Search matches the description, case-insensitively.
        await page.GotoAsync("/repositories");
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("swiss");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator(".repo-list > li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".repo-list")).ToContainTextAsync("beta/tool");

        // Choosing a namespace submits the filter form from the select's change listener; SelectOptionAsync returns
        // before that navigation commits, so wait for the URL (see WaitForUrlAsync), then for the filtered result.
        await page.GotoAsync("/repositories");
        await page.GetByLabel("Namespace").SelectOptionAsync("beta");
        await UiTestServer.WaitForUrlAsync(page, new Regex("[?&]ns=beta(&|$)"));
        await Assertions.Expect(page.GetByTestId("repository-count")).ToHaveTextAsync("1 repository match");
        await Assertions.Expect(page.Locator(".repo-list > li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".repo-list")).ToContainTextAsync("beta/tool");
    }

    [Fact]
    public async Task Image_page_shows_config_layers_with_history_and_the_index_children_and_referrers()
    {
        var registry = await _server.RegistryAsync("root", Password, "demo/app");
        var arm = await UiTestServer.PushImageAsync(registry, "demo/app", "arm", RichConfig, "arm layer");
        var amd = await UiTestServer.PushImageAsync(registry, "demo/app", "amd", RichConfig.Replace("\"arm64\",\"variant\":\"v8\"", "\"amd64\"", StringComparison.Ordinal), "amd layer");
        var armSize = (await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/demo/app/manifests/{arm}"))).Content.Headers.ContentLength!.Value;
        var amdSize = (await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/demo/app/manifests/{amd}"))).Content.Headers.ContentLength!.Value;
        using (var put = await registry.PutManifestAsync("demo/app", "multi", TestManifests.Index(TestManifests.OciIndex, (arm, armSize, TestManifests.OciManifest, "arm64"), (amd, amdSize, TestManifests.OciManifest, "amd64")), TestManifests.OciIndex))
        {
            put.EnsureSuccessStatusCode();
        }

        // A signature attached to the arm image (OCI referrers).
        var empty = Encoding.UTF8.GetBytes("{}");
        var emptyDigest = await registry.PushBlobAsync("demo/app", empty);
        var signature = await registry.PushBlobAsync("demo/app", Encoding.UTF8.GetBytes("signature bytes"));
        using (var put = await registry.PutManifestAsync("demo/app", RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(TestManifests.Image(TestManifests.OciManifest, emptyDigest, empty.Length, signature, 15, arm, armSize, "application/vnd.dev.cosign.artifact.sig.v1+json"))), TestManifests.Image(TestManifests.OciManifest, emptyDigest, empty.Length, signature, 15, arm, armSize, "application/vnd.dev.cosign.artifact.sig.v1+json"), TestManifests.OciManifest))
        {
            put.EnsureSuccessStatusCode();
        }

        var page = await _server.SignInAsync("root", Password);
        await page.GotoAsync("/repositories/demo/app");
        var table = page.GetByTestId("tags-table");
        await Assertions.Expect(table.Locator("tr[data-tag='multi']")).ToContainTextAsync("linux/arm64, linux/amd64");
        await Assertions.Expect(table.Locator("tr[data-tag='arm']")).ToContainTextAsync("linux/arm64/v8");
        await Assertions.Expect(table.Locator("tr[data-tag='arm']")).ToContainTextAsync("root");

        await page.GotoAsync("/repositories/demo/app/-/manifests/multi");
        await Assertions.Expect(page.GetByTestId("children").Locator("tbody tr")).ToHaveCountAsync(2);
        await page.GetByTestId("children").GetByRole(AriaRole.Link).First.ClickAsync();

        Assert.EndsWith(Uri.EscapeDataString(arm), page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("platform")).ToHaveTextAsync("linux/arm64/v8");
        await Assertions.Expect(page.GetByTestId("entrypoint")).ToHaveTextAsync("[\"/app/server\"]");
        await Assertions.Expect(page.GetByTestId("cmd")).ToHaveTextAsync("[\"--port\", \"8080\"]");
        await Assertions.Expect(page.GetByTestId("config")).ToContainTextAsync("8080/tcp");
        await Assertions.Expect(page.GetByTestId("env")).ToHaveTextAsync("MODE=prod");
        await Assertions.Expect(page.GetByTestId("config")).ToContainTextAsync("org.opencontainers.image.title=Demo");
        await Assertions.Expect(page.GetByTestId("layers").Locator("tbody tr[data-layer]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("layers")).ToContainTextAsync("ADD app.tar /app");
        await Assertions.Expect(page.GetByTestId("layers").Locator("tbody tr[data-empty-step]")).ToContainTextAsync("no layer");
        await Assertions.Expect(page.GetByTestId("referrers")).ToContainTextAsync("Signature");
    }

    [Fact]
    public async Task Markdown_description_cannot_inject_script_or_javascript_links()
    {
        var registry = await _server.RegistryAsync("root", Password, "demo/xss");
        await UiTestServer.PushImageAsync(registry, "demo/xss", "1", RichConfig, "x");
        using (var db = await _server.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Dockyard.Server.Data.DockyardDbContext>>().CreateDbContextAsync())
        {
            var repository = await db.Repositories.FindAsync("demo/xss");
            repository!.Description = "# Hello\n\n<script>window.pwned = 1</script>\n\n<img src=x onerror=\"window.pwned = 2\">\n\n[click me](javascript:window.pwned=3) and [docs](https://example.com/docs)";
            await db.SaveChangesAsync();
        }

        var page = await _server.SignInAsync("root", Password);
        await page.GotoAsync("/repositories/demo/xss");
        var description = page.GetByTestId("description");
        await Assertions.Expect(description.Locator("h2")).ToHaveTextAsync("Hello"); // demoted: the page's title is its only <h1>
        await Assertions.Expect(page.Locator("h1")).ToHaveCountAsync(1);
        await Assertions.Expect(description.Locator("script")).ToHaveCountAsync(0);
        await Assertions.Expect(description.Locator("img")).ToHaveCountAsync(0);
        await Assertions.Expect(description).ToContainTextAsync("<script>");
        await Assertions.Expect(description.GetByRole(AriaRole.Link, new() { Name = "docs" })).ToHaveAttributeAsync("href", "https://example.com/docs");
        var clickMe = description.GetByRole(AriaRole.Link, new() { Name = "click me" });
        Assert.DoesNotContain("javascript", await clickMe.GetAttributeAsync("href") ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        await clickMe.ClickAsync();
        Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));
    }
}
