using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// One headless Debian Chromium per test collection, driven by Microsoft.Playwright — never a downloaded browser.
/// Playwright launches it with a fresh temporary profile (user-data dir) each time; every test opens its own
/// <see cref="IBrowserContext"/> (own cookies). The flags keep Chromium off the network (this machine has none but
/// loopback) and quiet. A missing /usr/bin/chromium fails the tests with the command that installs it.
/// </summary>
public sealed class UiBrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser fixture is not initialized.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: the web UI tests drive Debian's Chromium. Install it with scripts/install-test-deps.sh "
                + "(apt-get install -y --no-install-recommends chromium).");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
    }

    /// <summary>A new isolated browser context (cookies, storage) for one test, sized like the screenshots.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseAddress) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ColorScheme = ColorScheme.Light,
        });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
