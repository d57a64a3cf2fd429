using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ui;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// The README's screenshots of the cluster pages (1280x800) against the real two-node swarm: a few labeled containers
/// on both nodes, one of them writing logs. Written to a temporary directory and checked to be PNGs; set
/// DOCKYARD_SCREENSHOTS_DIR (e.g. to docs/screenshots) to regenerate the committed ones:
/// <c>DOCKYARD_SCREENSHOTS_DIR=$PWD/docs/screenshots dotnet test --filter ControlScreenshots</c>.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ControlScreenshots(SwarmFixture swarm, UiBrowserFixture browser)
{
    private const string Password = "correct-horse-battery";

    private static readonly string[] Shots = ["cluster", "containers", "container", "console", "nodes", "node", "images", "events"];

    [Fact]
    public async Task Cluster_pages()
    {
        var directory = UiPageChecks.ScreenshotDirectory();
        await using var ui = await UiTestServer.StartAsync(browser, swarm.EngineSettings());
        await ui.Seed.UserAsync("admin-jo", Password, admin: true);
        var image = await swarm.BusyboxAsync();
        var run = Guid.NewGuid().ToString("N")[..6];
        var created = new List<(DockerDaemonFixture Engine, string Name)>();
        try
        {
            const string writer = "i=0; while true; do echo \"$(date -Iseconds) INFO payment $i settled in $((i % 7 + 3)) ms\"; i=$((i+1)); sleep 0.3; done";
            await Task.WhenAll(
                RunAsync(swarm.Manager, $"payments-web-{run}", "/acme/payments", "sh", "-c", writer),
                RunAsync(swarm.Worker, $"payments-api-{run}", "/acme/payments", "sh", "-c", writer),
                RunAsync(swarm.Worker, $"ci-runner-{run}", "/platform/ci", "sleep", "600"),
                RunAsync(swarm.Manager, $"metrics-{run}", "/platform/monitoring", "sleep", "600"));
            await swarm.Manager.RunDockerAsync("stop", "-t", "0", $"metrics-{run}");

            var page = await ui.SignInAsync("admin-jo", Password);
            await page.GotoAsync("/cluster");
            await ShotAsync(page, directory, "cluster");
            await page.GotoAsync("/containers?all=true");
            await ShotAsync(page, directory, "containers");
            await page.GotoAsync($"/containers/payments-api-{run}");
            await Assertions.Expect(page.Locator("[data-logs-output] .log-line").Nth(5)).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("[data-stat=memory]")).Not.ToHaveTextAsync("–", new() { Timeout = 20_000 });
            await page.Locator("#stats").EvaluateAsync("section => section.scrollIntoView()");
            await ShotAsync(page, directory, "container");
            await page.GotoAsync($"/containers/payments-api-{run}/console");
            await page.GetByTestId("console-connect").ClickAsync();
            await Assertions.Expect(page.GetByTestId("console-terminal")).ToHaveAttributeAsync("data-terminal-state", "open");
            await page.Locator(".xterm-helper-textarea").FocusAsync();
            await page.Keyboard.TypeAsync("ls / && busybox uname -a && ps");
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator(".xterm-rows")).ToContainTextAsync("PID");
            await ShotAsync(page, directory, "console");
            await page.GotoAsync("/nodes");
            await ShotAsync(page, directory, "nodes");
            await page.GotoAsync($"/nodes/{swarm.WorkerNodeId}");
            await ShotAsync(page, directory, "node");
            await page.GotoAsync("/images");
            await ShotAsync(page, directory, "images");
            await page.GotoAsync("/events");
            await ShotAsync(page, directory, "events");
        }
        finally
        {
            await Task.WhenAll(created.Select(c => c.Engine.RunDockerUncheckedAsync("rm", "-f", c.Name)));
        }

        foreach (var name in Shots)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(directory, name + ".png"));
            Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{name}.png is not a PNG");
        }

        async Task RunAsync(DockerDaemonFixture engine, string name, string collection, params string[] command)
        {
            lock (created)
            {
                created.Add((engine, name));
            }

            await engine.RunDockerAsync(["run", "-d", "--network", "none", "--name", name, "--label", "dockyard.access.collection=" + collection, image, "/bin/busybox", .. command]);
        }
    }

    private static Task ShotAsync(IPage page, string directory, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = false });
}
