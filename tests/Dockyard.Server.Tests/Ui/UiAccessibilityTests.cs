namespace Dockyard.Server.Tests.Ui;

/// <summary>WCAG 2 A/AA (axe-core) and phone-width checks of the web UI's pages.</summary>
[Collection(UiCollection.Name)]
public sealed class UiAccessibilityTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Login_page_passes_axe_at_desktop_and_phone_width()
    {
        var page = await _server.NewPageAsync();
        await page.GotoAsync("/login");
        await UiAccessibility.AssertNoViolationsAsync(page);
        await UiAccessibility.AssertNoHorizontalOverflowAsync(page);

        await page.SetViewportSizeAsync(UiAccessibility.PhoneWidth, 844);
        await page.GotoAsync("/login");
        await UiAccessibility.AssertNoViolationsAsync(page);
        await UiAccessibility.AssertNoHorizontalOverflowAsync(page);
    }
}
