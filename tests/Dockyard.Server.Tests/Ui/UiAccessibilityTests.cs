using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// WCAG 2 A/AA (axe-core) and phone-width checks of every registry and administration page, seeded with realistic
/// content, at 1280 px and 390 px in light and dark; and the top bar: one row on a desktop, a menu button on a phone,
/// the Cluster / Administration / account menus operable by keyboard.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiAccessibilityTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";
    private const int DesktopWidth = 1280;

    private const string Readme = """
        # Payments API

        The service that takes **card payments** and settles them nightly. See the [runbook](https://example.com/runbook).

        ## Build

        | Target | Command |
        |--------|---------|
        | image  | `make image` |

        ```sh
        docker run --rm -p 8080:8080 registry.example.com/acme/payments-api:1.1.0 --port 8080 --log-level debug --settle-at 02:00
        ```
        """;

    private UiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        await _server.Seed.UserAsync("ada", Password, admin: true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_page_passes_axe_and_fits_at_desktop_and_phone_width_in_light_and_dark()
    {
        await SeedAsync();
        var page = await _server.SignInAsync("ada", Password);
        var webhook = await CreateWebhookAsync(page);

        // Path, expected status. The cluster pages that render without container engines (/nodes answers 503 then).
        (string Path, int Status)[] pages =
        [
            ("/", 200), ("/repositories", 200), ("/repositories/acme/payments-api", 200),
            ("/repositories/acme/payments-api/-/manifests/1.1.0", 200), ("/repositories/acme/payments-api/-/manifests/multi", 200),
            ("/repositories/acme/payments-api/-/settings", 200), ("/repositories/acme/payments-api/-/webhooks", 200),
            ($"/repositories/acme/payments-api/-/webhooks/{webhook}", 200), ("/repositories/acme/nothing-here", 404),
            ("/orgs", 200), ("/orgs/acme", 200), ("/orgs/acme/teams/billing-devs", 200), ("/orgs/acme/service-accounts", 200),
            ("/orgs/acme/service-accounts/ci", 200), ("/orgs/acme/webhooks", 200), ("/orgs/acme/keys", 200),
            ("/me/tokens", 200), ("/me/sessions", 200), ("/users", 200), ("/audit", 200), ("/settings/ldap", 200),
            ("/cluster", 200), ("/containers", 200), ("/images", 200), ("/stacks", 200), ("/events", 200),
        ];
        var anonymous = await _server.NewPageAsync();
        var failures = new List<string>();
        foreach (var width in new[] { DesktopWidth, UiAccessibility.PhoneWidth })
        {
            await page.SetViewportSizeAsync(width, 844);
            foreach (var (path, status) in pages)
            {
                await CheckAsync(page, path, status, width, failures);
            }

            await anonymous.SetViewportSizeAsync(width, 844);
            await CheckAsync(anonymous, "/login", 200, width, failures);
            await CheckAsync(anonymous, "/not-found", 200, width, failures);
            await CheckAsync(anonymous, "/repositories/acme/payments-api", 404, width, failures);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failure(s):\n" + string.Join("\n", failures));

        // The phone screenshots of docs/web-ui.md (DOCKYARD_SCREENSHOTS_DIR=$PWD/docs/screenshots to regenerate them).
        var directory = UiPageChecks.ScreenshotDirectory();
        await page.SetViewportSizeAsync(UiAccessibility.PhoneWidth, 844);
        await page.GotoAsync("/repositories/acme/payments-api");
        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, "phone-repository.png") });
        await page.Locator("button.menu-toggle").ClickAsync();
        await page.Locator("#site-nav button", new() { HasText = "Cluster" }).ClickAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, "phone-menu.png") });
        foreach (var name in new[] { "phone-repository.png", "phone-menu.png" })
        {
            Assert.True(new FileInfo(Path.Combine(directory, name)).Length > 10_000, name);
        }
    }

    [Fact]
    public async Task Top_bar_is_one_row_on_a_desktop_and_a_menu_button_opens_the_navigation_on_a_phone()
    {
        await _server.Seed.UserAsync("bob", Password);
        var page = await _server.SignInAsync("ada", Password);
        await page.GotoAsync("/repositories");
        var menuButton = page.Locator("button.menu-toggle");
        var repositories = page.Locator("#site-nav a[href='/repositories']");
        var cluster = page.Locator("#site-nav button", new() { HasText = "Cluster" });
        var containers = page.Locator("#site-nav a[href='/containers']");
        var administration = page.Locator("#site-nav button", new() { HasText = "Administration" });
        var users = page.Locator("#site-nav a[href='/users']");
        var account = page.GetByTestId("user-menu-button");

        // Desktop: brand, entries, menus and the account on one row; no menu button.
        var height = (await page.Locator(".topbar").BoundingBoxAsync())!.Height;
        Assert.True(height < 70, $"the top bar is {height} px high at {DesktopWidth} px: it wraps");
        await Assertions.Expect(menuButton).ToBeHiddenAsync();
        await Assertions.Expect(repositories).ToBeVisibleAsync();
        await Assertions.Expect(repositories).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(account).ToContainTextAsync("ada");

        // The Cluster menu opens from the keyboard and Escape closes it, focus back on its button.
        await Assertions.Expect(cluster).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(containers).ToHaveCountAsync(1);
        await Assertions.Expect(containers).ToBeHiddenAsync();
        await cluster.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(cluster).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(containers).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#site-nav a[href='/cluster']")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(containers).ToBeHiddenAsync();
        await Assertions.Expect(cluster).ToBeFocusedAsync();

        // One menu at a time; a click elsewhere closes it.
        await cluster.ClickAsync();
        await administration.ClickAsync();
        await Assertions.Expect(users).ToBeVisibleAsync();
        await Assertions.Expect(containers).ToBeHiddenAsync();
        await page.Locator("footer").ClickAsync();
        await Assertions.Expect(users).ToBeHiddenAsync();

        // The account menu: profile, tokens, sessions and sign out.
        await Assertions.Expect(account).ToHaveAttributeAsync("aria-controls", "user-menu");
        await account.ClickAsync();
        var menu = page.Locator("#user-menu");
        foreach (var (name, href) in new[] { ("Profile", "/me"), ("Tokens", "/me/tokens"), ("Sessions", "/me/sessions") })
        {
            await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToHaveAttributeAsync("href", href);
        }

        await Assertions.Expect(menu.GetByTestId("sign-out")).ToBeVisibleAsync();
        await UiAccessibility.AssertNoViolationsAsync(page);
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(menu).ToBeHiddenAsync();

        // Phone: a menu button shows the navigation, the username stays visible.
        await page.SetViewportSizeAsync(UiAccessibility.PhoneWidth, 844);
        await page.GotoAsync("/repositories");
        await Assertions.Expect(menuButton).ToBeVisibleAsync();
        await Assertions.Expect(menuButton).ToHaveAttributeAsync("aria-controls", "site-nav");
        await Assertions.Expect(menuButton).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(repositories).ToHaveCountAsync(1);
        await Assertions.Expect(repositories).ToBeHiddenAsync();
        await Assertions.Expect(account).ToBeVisibleAsync();
        await Assertions.Expect(account).ToContainTextAsync("ada");
        await menuButton.ClickAsync();
        await Assertions.Expect(menuButton).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(repositories).ToBeVisibleAsync();
        await cluster.ClickAsync();
        await Assertions.Expect(containers).ToBeVisibleAsync();
        await UiAccessibility.AssertNoViolationsAsync(page);
        await UiAccessibility.AssertNoHorizontalOverflowAsync(page);
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(repositories).ToBeHiddenAsync();
        await Assertions.Expect(menuButton).ToBeFocusedAsync();
        await menuButton.ClickAsync();
        await repositories.ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories");
        await Assertions.Expect(repositories).ToBeHiddenAsync();

        // Administration entries only for administrators.
        var bob = await _server.SignInAsync("bob", Password);
        await Assertions.Expect(bob.Locator("#site-nav a[href='/repositories']")).ToBeVisibleAsync();
        await Assertions.Expect(bob.Locator("#site-nav button", new() { HasText = "Administration" })).ToHaveCountAsync(0);
        await Assertions.Expect(bob.Locator("a[href='/users']")).ToHaveCountAsync(0);
    }

    /// <summary>Visits the page, checks its status and heading, then axe and overflow in light and in dark.</summary>
    private static async Task CheckAsync(IPage page, string path, int status, int width, List<string> failures)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response!.Status == status, $"{path}: {response.Status}, expected {status}");
        await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            foreach (var check in new Func<IPage, Task>[] { UiAccessibility.AssertNoViolationsAsync, UiAccessibility.AssertNoHorizontalOverflowAsync })
            {
                try
                {
                    await check(page);
                }
                catch (Xunit.Sdk.XunitException e)
                {
                    // Gathered, so one run reports every page's problems; the test fails on them at the end.
                    failures.Add($"[{width} px, {scheme}] {e.Message}");
                }
            }
        }

        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        foreach (var problem in await page.EvaluateAsync<string[]>(LayoutProblems))
        {
            failures.Add($"[{width} px] {page.Url}: {problem}");
        }
    }

    /// <summary>
    /// The layout defects of #15 that axe does not see: a header cell with no name, the second card of a two-column
    /// row lower than the first, a badge far from the heading it belongs to, a name and its badge or note touching.
    /// </summary>
    private const string LayoutProblems = """
        () => {
          const problems = [];
          const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + e.textContent.trim().slice(0, 40) + '"';
          for (const th of document.querySelectorAll('th')) {
            if (!th.textContent.trim()) problems.push('empty header cell in ' + name(th.closest('table')));
          }
          for (const grid of document.querySelectorAll('.grid-2')) {
            const tops = [...grid.children].map(c => c.getBoundingClientRect().top);
            if (getComputedStyle(grid).gridTemplateColumns.split(' ').length > 1 && tops.length > 1 && Math.abs(tops[1] - tops[0]) > 1) {
              problems.push('two-column cards not aligned: ' + tops.map(Math.round).join(' / '));
            }
          }
          for (const badge of document.querySelectorAll('.header-row > :is(h1, h2) + .badge')) {
            const gap = badge.getBoundingClientRect().left - badge.previousElementSibling.getBoundingClientRect().right;
            if (gap > 40 && badge.getBoundingClientRect().top < badge.previousElementSibling.getBoundingClientRect().bottom) {
              problems.push('badge ' + Math.round(gap) + ' px away from its heading: ' + name(badge));
            }
          }
          for (const next of document.querySelectorAll(':is(a, span, strong, code) + .badge, .list-plain li > * + :is(.muted, .small)')) {
            const a = next.previousElementSibling.getBoundingClientRect(), b = next.getBoundingClientRect();
            if (b.width > 0 && Math.abs(a.top - b.top) < 4 && b.left - a.right < 3) problems.push('touching: ' + name(next.previousElementSibling) + ' and ' + name(next));
          }
          return problems;
        }
        """;

    /// <summary>An organization with a team, a member and a service account with a token; four repositories with tags,
    /// a multi-arch index, a Markdown description; grants. Pushes and sign-ins leave an audit trail.</summary>
    private async Task SeedAsync()
    {
        var seed = _server.Seed;
        var adaId = await UserIdAsync("ada");
        var carol = await seed.UserAsync("carol-with-a-rather-long-username", Password);
        var acme = await seed.OrganizationAsync("acme", RepositoryRole.Read);
        await seed.MemberAsync(acme, adaId, owner: true);
        await seed.MemberAsync(acme, carol);
        var team = await seed.TeamAsync(acme, "billing-devs", carol);
        var ci = await seed.ServiceAccountAsync(acme, "ci");
        await seed.Tokens.CreateForServiceAccountAsync(ci, "pipeline", [IdentitySeed.Scope("acme/*", RepositoryActions.Pull | RepositoryActions.Push)], null, CancellationToken.None);
        await seed.Tokens.CreateForUserAsync(adaId, "laptop", null, DateTimeOffset.UtcNow.AddDays(30), CancellationToken.None);

        string[] repositories = ["acme/payments-api", "acme/web-frontend-with-a-long-name", "acme/worker", "platform/nginx"];
        var registry = await _server.RegistryAsync("ada", Password, repositories);
        foreach (var (repository, i) in repositories.Select((r, i) => (r, i)))
        {
            foreach (var tag in new[] { "1.0.0", "1.1.0", "latest" })
            {
                await UiTestServer.PushImageAsync(registry, repository, tag, Config(i % 2 == 0 ? "amd64" : "arm64"), $"{repository} {tag} {new string('x', 500 * (i + 1))}");
            }
        }

        var amd = await UiTestServer.PushImageAsync(registry, "acme/payments-api", "amd64", Config("amd64"), "amd");
        var arm = await UiTestServer.PushImageAsync(registry, "acme/payments-api", "arm64", Config("arm64"), "arm");
        var index = TestManifests.Index(TestManifests.OciIndex, (amd, await SizeAsync(registry, amd), TestManifests.OciManifest, "amd64"), (arm, await SizeAsync(registry, arm), TestManifests.OciManifest, "arm64"));
        using (var put = await registry.PutManifestAsync("acme/payments-api", "multi", index, TestManifests.OciIndex))
        {
            put.EnsureSuccessStatusCode();
        }

        await seed.GrantAsync("acme/payments-api", PermissionSubject.Team, team, RepositoryRole.Write);
        await seed.GrantAsync("acme/payments-api", PermissionSubject.User, carol, RepositoryRole.Read);
        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        (await db.Repositories.FindAsync("acme/payments-api"))!.Description = Readme;
        (await db.Repositories.FindAsync("platform/nginx"))!.Visibility = RepositoryVisibility.Public;
        (await db.Repositories.FindAsync("acme/worker"))!.Description = "Settles payments nightly.";
        (await db.Teams.FindAsync(team))!.Description = "Billing squad";
        await db.SaveChangesAsync();
    }

    /// <summary>A repository webhook, created through its form (so it is on the audit trail); returns its id.</summary>
    private async Task<long> CreateWebhookAsync(IPage page)
    {
        await page.GotoAsync("/repositories/acme/payments-api/-/webhooks");
        await page.GetByLabel("Payload URL").FillAsync("http://127.0.0.1:9/hooks/dockyard");
        await page.GetByLabel("Description").FillAsync("Deploy bot");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("new-secret")).ToBeVisibleAsync();
        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return (await db.Webhooks.SingleAsync()).Id;
    }

    private async Task<long> UserIdAsync(string name)
    {
        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return (await db.Users.SingleAsync(u => u.Username == name)).Id;
    }

    private static async Task<long> SizeAsync(RegistryTestClient registry, string digest)
    {
        using var head = await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/acme/payments-api/manifests/{digest}"));
        return head.Content.Headers.ContentLength!.Value;
    }

    private static string Config(string architecture) => $$$"""
        {"architecture":"{{{architecture}}}","os":"linux","created":"2026-11-20T10:15:30Z",
         "config":{"User":"app","ExposedPorts":{"8080/tcp":{}},"Env":["PATH=/usr/local/bin:/usr/bin:/bin","ASPNETCORE_URLS=http://+:8080"],
                   "Entrypoint":["/app/server"],"Cmd":["--port","8080"],"WorkingDir":"/app",
                   "Labels":{"org.opencontainers.image.source":"https://example.com/acme/payments","org.opencontainers.image.version":"1.1.0"}},
         "history":[{"created":"2026-11-20T10:15:00Z","created_by":"COPY --from=build /out /app # buildkit"},
                    {"created":"2026-11-20T10:15:30Z","created_by":"CMD [\"--port\" \"8080\"]","empty_layer":true}]}
        """;
}
