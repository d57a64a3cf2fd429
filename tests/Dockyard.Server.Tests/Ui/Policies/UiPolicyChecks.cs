using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Policies;

/// <summary>The policy and storage pages' shared checks: axe and sideways overflow at desktop and phone width, light and dark.</summary>
internal static class UiPolicyChecks
{
    /// <summary>Checks the page as it is (no reload, so a form post's result stays) in all four combinations, then restores 1280 px light.</summary>
    public static async Task AssertAccessibleEverywhereAsync(IPage page)
    {
        foreach (var width in new[] { 1280, UiAccessibility.PhoneWidth })
        {
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await page.SetViewportSizeAsync(width, width == 1280 ? 800 : 844);
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await UiAccessibility.AssertNoViolationsAsync(page);
                await UiAccessibility.AssertNoHorizontalOverflowAsync(page);
            }
        }

        await page.SetViewportSizeAsync(1280, 800);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
    }

    /// <summary>The directory screenshots go to: DOCKYARD_SCREENSHOTS_DIR when set (docs/screenshots), else a temporary one.</summary>
    public static string ScreenshotDirectory() =>
        Environment.GetEnvironmentVariable("DOCKYARD_SCREENSHOTS_DIR") is { Length: > 0 } target
            ? Directory.CreateDirectory(target).FullName
            : Directory.CreateTempSubdirectory("dockyard-screenshots-").FullName;

    /// <summary>A 1280x800 light screenshot as <paramref name="name"/>.png, checked to be a PNG.</summary>
    public static async Task ShotAsync(IPage page, string directory, string name)
    {
        var path = Path.Combine(directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{name}.png is not a PNG");
    }
}
