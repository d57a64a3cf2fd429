using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ui;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Control.Events;

/// <summary>The /events page in Chromium: filtered history, and a new event arriving live over the page's SSE feed (script under the strict CSP).</summary>
[Collection(SwarmCollection.Name)]
public sealed class UiEventsBrowserTests(SwarmFixture swarm, UiBrowserFixture browser)
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task EventsPage_ShowsANewContainerEventLive_AndInTheHistoryAfterAReload()
    {
        await using var ui = await UiTestServer.StartAsync(browser, swarm.EngineSettings());
        var image = await swarm.BusyboxAsync();
        await ui.Seed.UserAsync("root", Password, admin: true);
        await EventTestHelpers.WaitUntilConsumingAsync(ui.Server, SwarmFixture.ManagerEngine, SwarmFixture.WorkerEngine);
        var name = "ev-ui-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var page = await ui.SignInAsync("root", Password);
            await page.GotoAsync(new Uri(ui.BaseAddress, $"/events?type=container&actor={name}").ToString());
            // The entry is in the Cluster menu (closed until opened), marked as the current page.
            await Assertions.Expect(page.Locator("nav a[href='/events']")).ToHaveAttributeAsync("aria-current", "page");
            await Assertions.Expect(page.GetByTestId("events-live-status")).ToHaveTextAsync("Live.");
            var rows = page.GetByTestId("events-table").Locator("tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(0);

            await swarm.Worker.RunDockerAsync("create", "--network", "none", "--name", name, image, "/bin/busybox", "true");
            await Assertions.Expect(rows.Locator("td code").First).ToHaveTextAsync("create");
            await Assertions.Expect(rows).ToHaveCountAsync(1);

            await page.ReloadAsync();
            await Assertions.Expect(page.GetByTestId("events-table").Locator("tbody tr[data-action='create']")).ToContainTextAsync(name);
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }
}
