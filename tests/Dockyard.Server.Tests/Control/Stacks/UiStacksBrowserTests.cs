using System.Text.RegularExpressions;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ui;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// The stacks UI in headless Chromium against the real two-node swarm: a Compose error is shown and marked at its line
/// with the typed text kept; the corrected file deploys a stack of an image pushed to this Dockyard; the stack is
/// listed, its service runs, the scale button scales it, and the live CPU/memory panel updates without a reload.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed partial class UiStacksBrowserTests(SwarmFixture swarm, UiBrowserFixture browser)
{
    private const string Password = "correct-horse-battery";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_stack_deployed_from_the_editor_runs_scales_and_streams_its_resources()
    {
        await using var server = await UiTestServer.StartAsync(browser, swarm.EngineSettings());
        await server.Seed.UserAsync("ops", Password, admin: true);
        var engines = server.Get<Dockyard.Server.Control.EngineRegistry>();
        await engines.ReloadAsync(CancellationToken.None);
        await engines.RefreshAllAsync(CancellationToken.None);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var stack = "ui-" + suffix;
        var image = await UiStackImages.PushAsync(swarm, server, "ops", Password, $"ops/stackweb-{suffix}", "1");
        try
        {
            var page = await server.SignInAsync("ops", Password);
            await page.GotoAsync("/stacks");
            await page.GetByTestId("stack-new").ClickAsync();
            await UiTestServer.WaitForPathAsync(page, "/stacks/new");

            // An invalid value on line 7: the error names it, the gutter marks line 7, the text is still what was typed.
            var invalid = Compose(image, "many");
            await page.Locator("#stack-name").FillAsync(stack);
            await page.Locator("#stack-version").FillAsync("1.0.0");
            await page.Locator("#compose-0").FillAsync(invalid);
            await page.GetByTestId("stack-deploy").ClickAsync();
            await Assertions.Expect(page.GetByTestId("compose-error")).ToContainTextAsync("compose.yml:7:");
            await Assertions.Expect(page.Locator(".compose-gutter li.error-line")).ToHaveTextAsync("7");
            Assert.Equal(invalid, (await page.Locator("#compose-0").InputValueAsync()).ReplaceLineEndings("\n"));
            Assert.Equal(stack, await page.Locator("#stack-name").InputValueAsync());

            await page.Locator("#compose-0").FillAsync(Compose(image, "1"));
            await page.GetByTestId("stack-deploy").ClickAsync();
            await UiTestServer.WaitForPathAsync(page, $"/stacks/{stack}");
            await Assertions.Expect(page.GetByTestId("form-ok")).ToHaveTextAsync("Stack deployed.");
            await ExpectTasksAsync(page, "1 / 1");

            // Live resources: the panel fills in and keeps updating on the same page (no navigation).
            await Assertions.Expect(page.Locator("[data-stack-service-stats] tr[data-service=web]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            await Assertions.Expect(page.Locator("[data-stat=memory]")).ToHaveTextAsync(Bytes());
            await Assertions.Expect(page.Locator("[data-stat=cpu]")).ToHaveTextAsync(Percent(), new() { Timeout = 20_000 });
            var status = page.Locator("[data-stats-status]");
            var first = await status.TextContentAsync();
            await Assertions.Expect(status).Not.ToHaveTextAsync(first!, new() { Timeout = 10_000 });
            Assert.Matches(LiveStatus(), await status.TextContentAsync() ?? string.Empty);

            await page.Locator("#replicas-web").FillAsync("2");
            await page.GetByTestId("scale").ClickAsync();
            await Assertions.Expect(page.GetByTestId("form-ok")).ToHaveTextAsync("Service scaled.");
            await ExpectTasksAsync(page, "2 / 2");

            await page.GotoAsync("/stacks");
            var row = page.Locator($"tr[data-stack='{stack}']");
            await Assertions.Expect(row.GetByTestId("stack-tasks")).ToHaveTextAsync("2 / 2");
            await Assertions.Expect(row).ToContainTextAsync("1.0.0");
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("stack", "rm", stack);
        }
    }

    /// <summary>A one-service stack; line 7 is the replica count.</summary>
    private static string Compose(string image, string replicas) => "services:\n" + UiStackImages.Service("web", image, replicas) + UiStackImages.HostNetwork;

    /// <summary>Reloads the stack page until its one service shows <paramref name="expected"/> running / desired tasks.</summary>
    private static async Task ExpectTasksAsync(IPage page, string expected)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var cell = page.Locator("tr[data-service=web] [data-testid=service-tasks]");
        while (true)
        {
            var text = (await cell.TextContentAsync())?.Trim();
            if (text == expected)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the service did not reach {expected} tasks within {Deadline.TotalSeconds:0} s (last: {text})");
            await Task.Delay(1000);
            await page.ReloadAsync();
        }
    }

    [GeneratedRegex(@"^\d+(\.\d)? (B|KiB|MiB|GiB)$")]
    private static partial Regex Bytes();

    [GeneratedRegex(@"^\d+\.\d %$")]
    private static partial Regex Percent();

    [GeneratedRegex("^Live · ")]
    private static partial Regex LiveStatus();
}
