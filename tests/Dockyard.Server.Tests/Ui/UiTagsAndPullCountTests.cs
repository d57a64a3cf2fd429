using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Ui.Data;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// Issue #15 gap 5: pull counts per tag and repository (manifest GETs through the real /v2, flushed by
/// <see cref="PullCounter"/>) on the pages and in the API, the version-aware tag order, the rows' copy buttons, and the
/// repository list and repository page under axe-core at desktop and phone width, light and dark.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiTagsAndPullCountTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";

    private const string Config = """{"architecture":"amd64","os":"linux","created":"2026-11-20T10:15:30Z"}""";

    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        // Flushed only when the test says so: the counts cannot reach the database behind its back.
        _server = await UiTestServer.StartAsync(browser, new Dictionary<string, string?> { ["Dockyard:Ui:PullCountFlushInterval"] = "01:00:00" });
        await _server.Seed.UserAsync("root", Password, admin: true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Pulls_by_tag_and_by_digest_are_counted_on_the_pages_and_in_the_api_and_heads_are_not()
    {
        var registry = await _server.RegistryAsync("root", Password, "acme/app", "acme/aaa-idle");
        await UiTestServer.PushImageAsync(registry, "acme/app", "1.0.0", Config, "one");
        var latest = await UiTestServer.PushImageAsync(registry, "acme/app", "latest", Config, "two");
        await UiTestServer.PushImageAsync(registry, "acme/aaa-idle", "1", Config, "idle");

        // 3 GETs of 1.0.0 and 2 of latest by tag, 4 by digest (repository only), 5 HEADs (no pull at all).
        foreach (var reference in Enumerable.Repeat("1.0.0", 3).Concat(Enumerable.Repeat("latest", 2)).Concat(Enumerable.Repeat(latest, 4)))
        {
            using var get = await registry.SendAsync(HttpMethod.Get, $"/v2/acme/app/manifests/{reference}", null, ("Accept", TestManifests.OciManifest));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }

        for (var i = 0; i < 5; i++)
        {
            using var head = await registry.SendAsync(HttpMethod.Head, "/v2/acme/app/manifests/1.0.0", null, ("Accept", TestManifests.OciManifest));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        using var api = _server.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{Password}")));
        var counter = _server.Get<PullCounter>();

        // Pull events reach the counter on a background task: flush until all 9 are in (or fail after 10 s).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement repository;
        while (true)
        {
            await counter.FlushAsync(CancellationToken.None);
            repository = await GetJsonAsync(api, "/api/v1/repositories/acme/app");
            if (repository.GetProperty("pullCount").GetInt64() >= 9 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(25);
        }

        Assert.Equal(9, repository.GetProperty("pullCount").GetInt64());
        Assert.Equal(JsonValueKind.String, repository.GetProperty("lastPulledAt").ValueKind);

        // A last flush finds nothing more: the HEADs and the pulls counted are not counted again.
        await Task.Delay(200);
        await counter.FlushAsync(CancellationToken.None);
        var list = await GetJsonAsync(api, "/api/v1/repositories?namespace=acme");
        var items = list.GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r);
        Assert.Equal(9, items["acme/app"].GetProperty("pullCount").GetInt64());
        Assert.Equal(0, items["acme/aaa-idle"].GetProperty("pullCount").GetInt64());
        Assert.Equal(JsonValueKind.Null, items["acme/aaa-idle"].GetProperty("lastPulledAt").ValueKind);

        var tags = (await GetJsonAsync(api, "/api/v1/repositories/acme/app/tags")).GetProperty("items").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("pullCount").GetInt64());
        Assert.Equal(3, tags["1.0.0"]);
        Assert.Equal(2, tags["latest"]);

        var page = await _server.SignInAsync("root", Password);
        await page.GotoAsync("/repositories/acme/app");
        var table = page.GetByTestId("tags-table");
        await Assertions.Expect(table.Locator("tr[data-tag='1.0.0'] [data-testid='tag-pulls']")).ToHaveTextAsync("3");
        await Assertions.Expect(table.Locator("tr[data-tag='latest'] [data-testid='tag-pulls']")).ToHaveTextAsync("2");

        // The list: "most pulled" puts acme/app before acme/aaa-idle, which is first by name.
        await page.GotoAsync("/repositories");
        var names = page.Locator(".repo-list > li .repo-name");
        await Assertions.Expect(names).ToHaveTextAsync(["acme/aaa-idle", "acme/app"]);
        var app = page.Locator(".repo-list > li").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "acme/app", Exact = true }) });
        await Assertions.Expect(app.GetByTestId("repository-pulls")).ToHaveTextAsync("9 pulls");

        // Size: the blobs it holds, the config shared by both images counted once.
        await Assertions.Expect(app.GetByTestId("repository-size")).ToHaveTextAsync($"{Encoding.UTF8.GetByteCount(Config) + "one".Length + "two".Length} B");
        await page.GetByTestId("repository-sort").SelectOptionAsync("pulls");
        await UiTestServer.WaitForUrlAsync(page, new("sort=pulls"));
        await Assertions.Expect(names).ToHaveTextAsync(["acme/app", "acme/aaa-idle"]);
    }

    [Fact]
    public async Task Tags_sort_by_version_carry_exact_copy_commands_and_pages_pass_axe_light_and_dark()
    {
        const string repository = "platform/a-rather-long-repository-name-for-the-pull-command/service";
        var registry = await _server.RegistryAsync("root", Password, repository);
        string[] order = ["0.9.0", "0.98.0", "0.101.0", "v1.0.0-rc.1", "v1.0.0", "latest"];
        var digests = new Dictionary<string, string>();
        foreach (var tag in order.Reverse())
        {
            digests[tag] = await UiTestServer.PushImageAsync(registry, repository, tag, Config, "layer of " + tag);
        }

        var page = await _server.SignInAsync("root", Password);
        await page.GotoAsync($"/repositories/{repository}?sort=name&dir=asc");
        var rows = page.GetByTestId("tags-table").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(order.Length);
        Assert.Equal(order, await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.tag)"));
        await page.GotoAsync($"/repositories/{repository}?sort=name&dir=desc");
        Assert.Equal(order.Reverse(), await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.tag)"));

        var host = _server.BaseAddress.Authority;
        foreach (var tag in order)
        {
            var row = page.Locator($"tr[data-tag='{tag}']");
            await Assertions.Expect(row.GetByTestId("copy-pull")).ToHaveAttributeAsync("data-copy", $"docker pull {host}/{repository}:{tag}");
            await Assertions.Expect(row.GetByTestId("copy-digest")).ToHaveAttributeAsync("data-copy", digests[tag]);
        }

        // The page's own pull command is shown whole at phone width: it wraps inside its box, nothing is clipped.
        foreach (var dark in new[] { false, true })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light });
            foreach (var width in new[] { 1280, UiAccessibility.PhoneWidth })
            {
                await page.SetViewportSizeAsync(width, 844);
                foreach (var path in new[] { "/repositories", $"/repositories/{repository}" })
                {
                    await page.GotoAsync(path);
                    await UiAccessibility.AssertNoViolationsAsync(page);
                    await UiAccessibility.AssertNoHorizontalOverflowAsync(page);
                }

                var command = page.GetByTestId("pull-command");
                var widths = await command.EvaluateAsync<int[]>("e => [e.scrollWidth, e.clientWidth]");
                Assert.True(widths[0] <= widths[1], $"pull command clipped at {width}px: scrollWidth {widths[0]} > clientWidth {widths[1]}");

                // The newest push (0.9.0, pushed last) heads the default order, so the command names it.
                await Assertions.Expect(command).ToHaveTextAsync($"docker pull {host}/{repository}:{order[0]}");
            }
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string uri)
    {
        using var response = await client.GetAsync(uri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
