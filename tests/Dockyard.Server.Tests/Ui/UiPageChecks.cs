using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>Screenshots of UI pages for the docs (the accessibility checks are <see cref="UiAccessibility"/>).</summary>
internal static class UiPageChecks
{
    /// <summary>Where screenshots go: DOCKYARD_SCREENSHOTS_DIR when set (docs/screenshots to regenerate them), else a new temporary directory.</summary>
    public static string ScreenshotDirectory() =>
        Environment.GetEnvironmentVariable("DOCKYARD_SCREENSHOTS_DIR") is { Length: > 0 } target
            ? Directory.CreateDirectory(target).FullName
            : Directory.CreateTempSubdirectory("dockyard-screenshots-").FullName;

    /// <summary>
    /// Screenshots the page as it is (1280x800, light) as <c>{name}.png</c> into DOCKYARD_SCREENSHOTS_DIR when set
    /// (docs/screenshots), else a temporary directory, and checks it is a PNG.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = ScreenshotDirectory();
        await page.SetViewportSizeAsync(1280, 800);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        var path = Path.Combine(directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{name}.png is not a PNG");
    }
}
