using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// An in-process Dockyard with authentication on, a seeding helper, and sign-in through the real login form.
/// Start one per test (own data directory, own database).
/// </summary>
internal sealed class UiTestServer : IAsyncDisposable
{
    /// <summary>Playwright's default navigation timeout, for waits that span a navigation.</summary>
    private const float NavigationTimeout = 30_000;

    private readonly UiBrowserFixture _browser;
    private readonly List<IBrowserContext> _contexts = [];

    private UiTestServer(InProcessDockyard server, UiBrowserFixture browser)
    {
        Server = server;
        _browser = browser;
        Seed = new IdentitySeed(server.GetRequiredService<IDbContextFactory<DockyardDbContext>>());
    }

    public InProcessDockyard Server { get; }

    public IdentitySeed Seed { get; }

    public Uri BaseAddress => Server.BaseAddress;

    public static async Task<UiTestServer> StartAsync(UiBrowserFixture browser, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Dockyard:Auth:Enabled"] = "true",
            [Webhooks.WebhookTestNetworks.AllowedNetworksKey] = Webhooks.WebhookTestNetworks.Loopback,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new UiTestServer(await InProcessDockyard.StartAsync(settings: all), browser);
    }

    /// <summary>A /v2 client holding a registry token for the repositories (pull, push, delete) as the given user.</summary>
    public async Task<RegistryTestClient> RegistryAsync(string username, string password, params string[] repositories)
    {
        var http = CreateClient();
        var scopes = string.Concat(repositories.Select(r => $"&scope=repository:{r}:pull,push,delete"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/auth/token?service=dockyard{scopes}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", document.RootElement.GetProperty("token").GetString());
        return new RegistryTestClient(http);
    }

    /// <summary>Pushes an image whose config has the given JSON; returns the manifest digest.</summary>
    public static async Task<string> PushImageAsync(RegistryTestClient registry, string repository, string tag, string configJson, string layerText)
    {
        var config = Encoding.UTF8.GetBytes(configJson);
        var layer = Encoding.UTF8.GetBytes(layerText);
        var configDigest = await registry.PushBlobAsync(repository, config);
        var layerDigest = await registry.PushBlobAsync(repository, layer);
        var json = TestManifests.Image(TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length);
        using var put = await registry.PutManifestAsync(repository, tag, json, TestManifests.OciManifest);
        put.EnsureSuccessStatusCode();
        return put.Headers.GetValues("Docker-Content-Digest").Single();
    }

    public T Get<T>()
        where T : notnull => Server.GetRequiredService<T>();

    public HttpClient CreateClient() => Server.CreateClient();

    /// <summary>A fresh browser context (no cookies) and a page in it.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(BaseAddress);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the login form and waits for the dashboard.</summary>
    public async Task<IPage> SignInAsync(string username, string password)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, username, password);
        return page;
    }

    public static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(PathPattern("/login"), new() { Timeout = NavigationTimeout });
    }

    /// <summary>
    /// Waits until the page's URL matches <paramref name="url"/>, typically after a click or a change listener
    /// submitted a form. A polling assertion rather than <c>WaitForURLAsync</c>: that one reads the URL, then
    /// subscribes to navigations, and such a submit commits its navigation just about then; a commit between the two
    /// is missed and it waits out its whole timeout.
    /// </summary>
    public static Task WaitForUrlAsync(IPage page, Regex url) =>
        Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = NavigationTimeout });

    /// <summary>As <see cref="WaitForUrlAsync"/>, for a URL whose path is exactly <paramref name="path"/> (any query).</summary>
    public static Task WaitForPathAsync(IPage page, string path) => WaitForUrlAsync(page, PathPattern(path));

    private static Regex PathPattern(string path) => new("^[a-z]+://[^/]+" + Regex.Escape(path) + "([?#]|$)");

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        await Server.DisposeAsync();
    }
}
