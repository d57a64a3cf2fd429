using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// The "done" checks of a page: axe-core (WCAG 2 A/AA) and no sideways overflow at desktop (1280 px) and phone width
/// (<see cref="UiAccessibility.PhoneWidth"/>), each in light and dark; and the documentation screenshots (1280x800,
/// light) written to <c>DOCKYARD_SCREENSHOTS_DIR</c> when set, else to a temporary directory.
/// </summary>
internal static class UiPageChecks
{
    /// <summary>Loads <paramref name="url"/> four times (two widths × two color schemes) and checks each; leaves the page at 1280x800, light.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string url)
    {
        foreach (var (width, height) in new[] { (1280, 800), (UiAccessibility.PhoneWidth, 844) })
        {
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await page.GotoAsync(url);
                await UiAccessibility.AssertNoViolationsAsync(page);
                await UiAccessibility.AssertNoHorizontalOverflowAsync(page);
            }
        }

        await page.SetViewportSizeAsync(1280, 800);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
    }

    /// <summary>Screenshots the page as it is (1280x800, light) as <c>{name}.png</c> and checks it is a PNG.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("DOCKYARD_SCREENSHOTS_DIR") is { Length: > 0 } target
            ? Directory.CreateDirectory(target).FullName
            : Directory.CreateTempSubdirectory("dockyard-screenshots-").FullName;
        await page.SetViewportSizeAsync(1280, 800);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        var path = Path.Combine(directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{name}.png is not a PNG");
    }
}
