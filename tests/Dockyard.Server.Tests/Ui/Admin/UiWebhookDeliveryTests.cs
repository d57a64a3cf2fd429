using System.Text.RegularExpressions;
using Dockyard.Server.Tests.Webhooks;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// A webhook's delivery in the UI: the repository and tag it was about, the payload sent and the receiver's response,
/// and "Redeliver", which sends the same payload again and lists the new delivery as a redelivery.
/// </summary>
[Collection(UiCollection.Name)]
public sealed partial class UiWebhookDeliveryTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "olivia-password-1";
    private UiTestServer _server = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        // Retries 200 ms apart: the first attempt is answered 503.
        _server = await UiTestServer.StartAsync(browser, new Dictionary<string, string?> { ["Dockyard:Webhooks:RetryBaseDelay"] = "00:00:00.2" });
        _receiver = await WebhookReceiver.StartAsync();
        var olivia = await _server.Seed.UserAsync("olivia", Password);
        var acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.MemberAsync(acme, olivia, owner: true);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Owner_sees_what_a_delivery_sent_and_got_back_and_redelivers_it()
    {
        _receiver.Respond = n => n == 1 ? 503 : 200;
        _receiver.Answer = n => n == 1 ? "<b>maintenance</b> until 10:00" : "thanks";
        var page = await _server.SignInAsync("olivia", Password);
        await page.GotoAsync("/orgs/acme/webhooks");
        await page.GetByLabel("Payload URL").FillAsync(_receiver.Url.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Deliveries" }).ClickAsync();
        await UiTestServer.WaitForUrlAsync(page, WebhookPage());

        var registry = await _server.RegistryAsync("olivia", Password, "acme/api");
        await UiTestServer.PushImageAsync(registry, "acme/api", "2.1", """{"architecture":"amd64","os":"linux"}""", "layer");
        var received = await _receiver.WaitForAsync(3);

        // Each pushed event is shown with the repository and tag it was about.
        var pushed = page.Locator("[data-testid=deliveries-table] tr", new() { HasText = "manifest.pushed" });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await pushed.CountAsync() == 1 && (await pushed.InnerTextAsync()).Contains("succeeded", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the manifest.pushed delivery never succeeded: " + await page.Locator("main").InnerTextAsync());
            await Task.Delay(200);
            await page.ReloadAsync();
        }

        await Assertions.Expect(pushed).ToContainTextAsync("acme/api:2.1");
        var firstDelivery = await pushed.GetAttributeAsync("data-delivery");
        var firstRequest = received.First(r => r.Delivery == firstDelivery);

        await pushed.GetByRole(AriaRole.Link, new() { Name = $"Details of delivery {firstDelivery}" }).ClickAsync();
        var detail = page.GetByTestId("delivery-detail");
        await Assertions.Expect(detail).ToContainTextAsync(firstDelivery!);
        await Assertions.Expect(page.GetByTestId("delivery-payload")).ToContainTextAsync("\"repository\": \"acme/api\"");
        if (firstRequest.Number == 1)
        {
            // The receiver's text is shown as text (escaped), not as markup.
            await Assertions.Expect(page.GetByTestId("attempt-response").First).ToHaveTextAsync("<b>maintenance</b> until 10:00");
        }

        await Assertions.Expect(page.GetByTestId("attempt-response").Last).ToHaveTextAsync("thanks");
        await UiAccessibility.AssertAccessibleEverywhereAsync(page);
        await UiPageChecks.ScreenshotAsync(page, "webhook-delivery");

        await detail.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToContainTextAsync("Redelivery queued");
        var again = (await _receiver.WaitForAsync(received.Count + 1)).Last();
        Assert.Equal(firstRequest.Body, again.Body);
        Assert.NotEqual(firstRequest.Delivery, again.Delivery);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator($"[data-testid=deliveries-table] tr[data-delivery='{again.Delivery}']")).ToContainTextAsync("redelivery");
    }

    [GeneratedRegex(@"/orgs/acme/webhooks/\d+$")]
    private static partial Regex WebhookPage();
}
