using System.Text.Json;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// Accessibility and layout checks on a rendered page: axe-core (from npm, Ui/Axe, copied next to this assembly by
/// the test project) run against the WCAG 2 A and AA rules, and a check that nothing overflows the viewport sideways
/// (the phone-width defect). Each failure names the rule, the impact and the offending elements.
/// </summary>
internal static class UiAccessibility
{
    /// <summary>The phone width the layout must fit (an iPhone 12-15 in CSS pixels).</summary>
    public const int PhoneWidth = 390;

    /// <summary>axe-core rule tags checked: WCAG 2.0, 2.1 and 2.2, levels A and AA.</summary>
    private const string Tags = "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']";

    private static readonly Lazy<string> Script = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "axe.min.js");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: the test project copies it from tests/Dockyard.Server.Tests/Ui/Axe/node_modules after `npm ci` there. "
                + "Build the test project again (it runs npm ci), or install Node.js and npm (scripts/install-test-deps.sh).");
        }

        return File.ReadAllText(path);
    });

    /// <summary>
    /// axe-core and the overflow check in all four combinations (1280 px and <see cref="PhoneWidth"/>, light and dark):
    /// loading <paramref name="url"/> for each, or checking the page as it is (e.g. a form post's result) when null.
    /// Leaves the page at 1280x800, light.
    /// </summary>
    public static async Task AssertAccessibleEverywhereAsync(IPage page, string? url = null)
    {
        foreach (var (width, height) in new[] { (1280, 800), (PhoneWidth, 844) })
        {
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                if (url is not null)
                {
                    await page.GotoAsync(url);
                }
                else
                {
                    // Let the page's resize handler run first (dockyard.js makes boxes that now scroll focusable).
                    await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))");
                }

                await AssertNoViolationsAsync(page);
                await AssertNoHorizontalOverflowAsync(page);
            }
        }

        await page.SetViewportSizeAsync(1280, 800);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
    }

    /// <summary>Fails with every WCAG 2 A/AA violation axe-core finds on the page as it is now.</summary>
    public static async Task AssertNoViolationsAsync(IPage page)
    {
        var violations = await ViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{page.Url}: {violations.Count} accessibility violation(s):\n" + string.Join("\n", violations));
    }

    /// <summary>The WCAG 2 A/AA violations on the page, one readable line each (rule, impact, help, element selectors).</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            // Evaluated rather than added as a <script> tag: the UI's Content-Security-Policy allows no inline script.
            await page.EvaluateAsync(Script.Value);
        }

        var json = await page.EvaluateAsync<string>(
            "async () => JSON.stringify((await axe.run(document, { runOnly: { type: 'tag', values: " + Tags + " } })).violations"
            + ".map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) })))");
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(v =>
            $"  {v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} at "
            + string.Join(", ", v.GetProperty("nodes").EnumerateArray().Take(5).Select(n => n.GetString())))];
    }

    /// <summary>Fails when the document is wider than the viewport (content that scrolls the whole page sideways).</summary>
    public static async Task AssertNoHorizontalOverflowAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        if (widths[0] > widths[1])
        {
            var culprits = await page.EvaluateAsync<string[]>(
                """
                () => [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed')
                  .slice(0, 8)
                  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))
                """);
            Assert.Fail($"{page.Url}: the page is {widths[0]} px wide in a {widths[1]} px viewport; overflowing: {string.Join(", ", culprits)}");
        }
    }
}
