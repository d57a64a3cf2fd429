using Dockyard.Server.Tests.Control.Stacks;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ui;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// The README's screenshots of the stacks UI (1280x800), like <see cref="ControlScreenshots"/>: a two-service stack's
/// page with its live resources, and the Compose editor showing an error at its line. Written to a temporary directory
/// and checked to be PNGs; DOCKYARD_SCREENSHOTS_DIR regenerates the committed ones.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ControlScreenshotsStacks(SwarmFixture swarm, UiBrowserFixture browser)
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task Stack_pages()
    {
        var directory = UiPageChecks.ScreenshotDirectory();
        await using var ui = await UiTestServer.StartAsync(browser, swarm.EngineSettings());
        await ui.Seed.UserAsync("admin-jo", Password, admin: true);
        var engines = ui.Get<Dockyard.Server.Control.EngineRegistry>();
        await engines.ReloadAsync(CancellationToken.None);
        await engines.RefreshAllAsync(CancellationToken.None);
        var run = Guid.NewGuid().ToString("N")[..6];
        var stack = "shop-" + run;
        var image = await UiStackImages.PushAsync(swarm, ui, "admin-jo", Password, $"admin-jo/shop-{run}", "1.4");
        var compose = "services:\n" + UiStackImages.Service("web", image, "2") + UiStackImages.Service("worker", image, "1") + UiStackImages.HostNetwork;
        try
        {
            var page = await ui.SignInAsync("admin-jo", Password);
            await page.GotoAsync("/stacks/new");
            await page.Locator("#stack-name").FillAsync(stack);
            await page.Locator("#stack-version").FillAsync("1.4.0");
            await page.Locator("#stack-description").FillAsync("The shop's storefront and its order worker.");
            await page.Locator("#stack-source").FillAsync("https://git.example.com/acme/shop");
            await page.Locator("#stack-revision").FillAsync("9f2c1e7");
            await page.Locator("#stack-environment").FillAsync("LOG_LEVEL=info");
            await page.Locator("#compose-0").FillAsync(compose.Replace("replicas: 1", "replicas: one", StringComparison.Ordinal));
            await page.GetByTestId("stack-deploy").ClickAsync();
            await Assertions.Expect(page.GetByTestId("compose-error")).ToBeVisibleAsync();
            await page.Locator("#compose-0").EvaluateAsync("area => area.scrollIntoView({ block: 'center' })");
            await ShotAsync(page, directory, "stack-editor");

            await page.Locator("#compose-0").FillAsync(compose);
            await page.GetByTestId("stack-deploy").ClickAsync();
            await UiTestServer.WaitForPathAsync(page, $"/stacks/{stack}");
            for (var attempt = 0; attempt < 60 && (await page.Locator("tr[data-service=web] [data-testid=service-tasks]").TextContentAsync())?.Trim() != "2 / 2"; attempt++)
            {
                await Task.Delay(1000);
                await page.ReloadAsync();
            }

            await Assertions.Expect(page.Locator("[data-stack-service-stats] tr")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-stat=cpu]")).Not.ToHaveTextAsync("–", new() { Timeout = 30_000 });
            await page.GetByTestId("stack-stats").EvaluateAsync("section => section.scrollIntoView({ block: 'end' })");
            await ShotAsync(page, directory, "stack");
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("stack", "rm", stack);
        }

        foreach (var name in new[] { "stack-editor", "stack" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(directory, name + ".png"));
            Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{name}.png is not a PNG");
        }
    }

    private static Task ShotAsync(IPage page, string directory, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = false });
}
