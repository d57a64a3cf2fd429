using System.Text.RegularExpressions;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ui;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// The logs and stats panels in headless Chromium (on the container's page, <c>/containers/{ref}</c>):
/// followed lines appear, the search keeps only matching lines, and the stats panel shows n/a for a container
/// without a network.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed partial class ContainerLogsPanelBrowserTests(SwarmFixture swarm, UiBrowserFixture browser)
{
    [Fact]
    public async Task The_logs_panel_follows_lines_and_search_filters_them()
    {
        await using var server = await UiTestServer.StartAsync(browser, swarm.EngineSettings());
        await server.Seed.UserAsync("ops", "correct-horse-battery", admin: true);
        var engines = server.Get<Dockyard.Server.Control.EngineRegistry>();
        await engines.ReloadAsync(CancellationToken.None);
        await engines.RefreshAllAsync(CancellationToken.None);
        var image = await swarm.BusyboxAsync();
        var name = "panel-" + Guid.NewGuid().ToString("N")[..10];
        await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", name, image, "/bin/busybox", "sh", "-c",
            "i=0; while true; do echo line $i; i=$((i+1)); /bin/busybox sleep 0.1; done");
        try
        {
            var page = await server.SignInAsync("ops", "correct-horse-battery");
            await page.GotoAsync($"/containers/{name}");
            var output = page.Locator("[data-logs-output]");
            await Assertions.Expect(output.Locator(".log-line", new() { HasTextString = "line 25" })).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("[data-logs-status]")).ToHaveTextAsync("Following.");
            await Assertions.Expect(page.Locator("[data-stat=network]")).ToHaveTextAsync("n/a", new() { Timeout = 10_000 });

            await page.Locator("[data-logs-search]").FillAsync("line 1");
            await page.Locator("[data-logs-filter]").CheckAsync();
            var visible = await output.Locator(".log-line:visible").AllTextContentsAsync();
            Assert.NotEmpty(visible);
            Assert.All(visible, text => Assert.Matches(LineOne(), text));
            Assert.Contains("line 1", visible);
            Assert.True(await output.Locator(".log-line:visible mark").CountAsync() >= visible.Count);

            // Following goes on while filtered: new matching lines appear (line 1xx after line 99).
            await Assertions.Expect(output.Locator(".log-line:visible", new() { HasTextString = "line 100" })).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    [GeneratedRegex("^line 1[0-9]*$")]
    private static partial Regex LineOne();
}
