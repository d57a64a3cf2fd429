using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Admin;

/// <summary>
/// The repository settings page (visibility, description, grants) and the webhook pages with delivery history:
/// changes made in the UI are what the API then reports, those not allowed see no link and their forged posts
/// (with a valid antiforgery token of their own session) are refused, change nothing and are on the record.
/// </summary>
[Collection(UiCollection.Name)]
public sealed partial class UiRepositoryAdministrationTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private const string Repository = "acme/app";
    private UiTestServer _server = null!;
    private long _bob;
    private long _acme;

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        var olivia = await _server.Seed.UserAsync("olivia", "olivia-password-1");
        _bob = await _server.Seed.UserAsync("bob", "bob-password-12");
        _acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.MemberAsync(_acme, olivia, owner: true);
        await _server.Seed.MemberAsync(_acme, _bob);
        await _server.Seed.TeamAsync(_acme, "devs", _bob);
        await using (var db = await Db())
        {
            db.Repositories.Add(new RepositoryEntity { Name = Repository, CreatedAt = DateTimeOffset.UtcNow, Visibility = RepositoryVisibility.Private });
            await db.SaveChangesAsync();
        }

        await _server.Seed.GrantAsync(Repository, PermissionSubject.User, _bob, RepositoryRole.Read);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Repository_admin_grants_a_team_read_and_makes_the_repository_public_and_the_api_reflects_it()
    {
        var page = await _server.SignInAsync("olivia", "olivia-password-1");
        await page.GotoAsync("/repositories/acme/app");
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories/acme/app/-/settings");

        await page.GetByLabel("Kind").SelectOptionAsync("team");
        await page.GetByLabel("User or team").FillAsync("devs");
        await page.Locator("#grant-role").SelectOptionAsync("read");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-grant=\"team:devs\"]")).ToBeVisibleAsync();

        await page.GetByLabel("Visibility").SelectOptionAsync("public");
        await page.GetByLabel("Description (Markdown)").FillAsync("The app.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-ok")).ToBeVisibleAsync();

        using var api = Api("olivia", "olivia-password-1");
        using var grants = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/repositories/{Repository}/permissions"));
        Assert.Contains(grants.RootElement.EnumerateArray(), g =>
            g.GetProperty("subjectKind").GetString() == "team" && g.GetProperty("subject").GetString() == "devs" && g.GetProperty("role").GetString() == "read");
        using var repository = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/repositories/{Repository}"));
        Assert.Equal("public", repository.RootElement.GetProperty("visibility").GetString());
        Assert.Equal("The app.", repository.RootElement.GetProperty("description").GetString());

        await using var db = await Db();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "repository.visibility.change" && e.Resource == "repositories/acme/app" && e.Outcome == "success"));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "repository.permission.grant" && e.Resource == "repositories/acme/app/permissions/teams/devs"));
    }

    [Fact]
    public async Task Reader_sees_no_settings_link_and_forged_settings_posts_change_nothing()
    {
        using var bob = await UiHttpSession.SignInAsync(_server.BaseAddress, "bob", "bob-password-12");
        var view = await bob.GetStringAsync("/repositories/acme/app");
        Assert.Contains("<h1>acme/app</h1>", view, StringComparison.Ordinal);
        Assert.DoesNotContain("/-/settings", view, StringComparison.Ordinal);

        foreach (var path in new[] { "/repositories/acme/app/-/settings", "/repositories/acme/app/-/webhooks", "/orgs/acme/webhooks" })
        {
            using var get = await bob.GetAsync(path);
            Assert.True(get.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)get.StatusCode}");
        }

        var token = CsrfToken().Match(await bob.GetStringAsync("/me/tokens")).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token));
        var forged = new[]
        {
            new Dictionary<string, string> { ["_handler"] = "add-grant", ["Form.SubjectKind"] = "user", ["Form.Subject"] = "bob", ["Form.Role"] = "admin" },
            new Dictionary<string, string> { ["_handler"] = "update-repository", ["Form.Visibility"] = "public", ["Form.Description"] = "owned" },
            new Dictionary<string, string> { ["_handler"] = "revoke-user-bob", ["Form.SubjectKind"] = "user", ["Form.Subject"] = "bob" },
        };
        foreach (var fields in forged)
        {
            fields["__csrf"] = token;
            using var post = await bob.PostAsync("/repositories/acme/app/-/settings", new FormUrlEncodedContent(fields));
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"{fields["_handler"]}: {(int)post.StatusCode}");
        }

        await using var db = await Db();
        var repository = await db.Repositories.SingleAsync(r => r.Name == Repository);
        Assert.Equal(RepositoryVisibility.Private, repository.Visibility);
        Assert.Null(repository.Description);
        var grant = await db.RepositoryPermissions.SingleAsync(p => p.Repository == Repository && p.SubjectKind == PermissionSubject.User && p.SubjectId == _bob);
        Assert.Equal(RepositoryRole.Read, grant.Role);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "repository.permission.grant" && e.Outcome == "denied" && e.Resource == "repositories/acme/app/permissions/users/bob"));
    }

    [Fact]
    public async Task Org_owner_creates_a_webhook_sees_the_secret_once_and_a_ping_appears_in_the_delivery_history()
    {
        using var olivia = await UiHttpSession.SignInAsync(_server.BaseAddress, "olivia", "olivia-password-1");
        Assert.Contains("href=\"/orgs/acme/webhooks\"", await olivia.GetStringAsync("/orgs/acme"), StringComparison.Ordinal);
        var list = await olivia.GetStringAsync("/orgs/acme/webhooks");
        var token = CsrfToken().Match(list).Groups[1].Value;

        using var create = await olivia.PostAsync("/orgs/acme/webhooks", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token,
            ["_handler"] = "create-webhook",
            ["Form.Url"] = "http://127.0.0.1:9/hook",
            ["Form.Push"] = "true",
            ["Form.Tag"] = "true",
            ["Form.Enabled"] = "true",
            ["Form.Description"] = "CI trigger",
        }));
        var created = await create.Content.ReadAsStringAsync();
        Assert.True(create.StatusCode == HttpStatusCode.OK, created);
        var secret = NewSecret().Match(created).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(secret), created);

        WebhookEntity webhook;
        await using (var db = await Db())
        {
            webhook = await db.Webhooks.SingleAsync();
        }

        Assert.Equal(secret, _server.Get<Dockyard.Server.Protection.SecretProtector>().Unprotect(webhook.Secret));
        Assert.Equal("http://127.0.0.1:9/hook", webhook.Url);
        Assert.True(webhook.Enabled);

        // Shown once: the list afterwards names the webhook but never its secret.
        var again = await olivia.GetStringAsync("/orgs/acme/webhooks");
        Assert.Contains($"data-webhook=\"{webhook.Id}\"", again, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, again, StringComparison.Ordinal);

        var deliveries = await olivia.GetStringAsync($"/orgs/acme/webhooks/{webhook.Id}");
        Assert.Contains("data-testid=\"no-deliveries\"", deliveries, StringComparison.Ordinal);
        using var ping = await olivia.PostAsync($"/orgs/acme/webhooks/{webhook.Id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = CsrfToken().Match(deliveries).Groups[1].Value,
            ["_handler"] = "ping",
        }));
        Assert.Equal(HttpStatusCode.Found, ping.StatusCode);
        var history = await olivia.GetStringAsync(ping.Headers.Location!.ToString());
        Assert.Contains("data-testid=\"deliveries-table\"", history, StringComparison.Ordinal);
        Assert.Matches(@"<td>ping</td>", history);

        using var toggle = await olivia.PostAsync("/orgs/acme/webhooks", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token,
            ["_handler"] = $"toggle-{webhook.Id}",
            ["Form.Id"] = webhook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Form.Enabled"] = "False",
        }));
        Assert.Equal(HttpStatusCode.Found, toggle.StatusCode);
        await using (var db = await Db())
        {
            Assert.False((await db.Webhooks.SingleAsync()).Enabled);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "webhook.create" && e.Resource == $"orgs/acme/webhooks/{webhook.Id}" && e.Outcome == "success"));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "webhook.test" && e.Resource == $"orgs/acme/webhooks/{webhook.Id}/test"));
        }
    }

    [Fact]
    public async Task Org_owner_edits_a_webhook_and_rotates_its_secret_which_is_shown_once_and_audited_like_the_api()
    {
        var (hook, oldSecret) = await _server.Get<WebhookService>().CreateAsync(
            Dockyard.Server.Audit.Caller.System, WebhookTarget.ForOrganization("acme"), new WebhookSettings("http://127.0.0.1:9/old", null, ["push", "tag"], true, "CI"), CancellationToken.None);
        var page = await _server.SignInAsync("olivia", "olivia-password-1");
        await page.GotoAsync("/orgs/acme/webhooks");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit webhook {hook.Id}" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, $"/orgs/acme/webhooks/{hook.Id}");

        // The form shows the current settings, every field reachable by its label.
        var url = page.GetByLabel("Payload URL");
        await Assertions.Expect(url).ToHaveValueAsync("http://127.0.0.1:9/old");
        await Assertions.Expect(page.GetByLabel("push")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("pull")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Enabled")).ToBeCheckedAsync();

        // An invalid URL is refused with the reason and keeps what was typed.
        await url.FillAsync("ftp://127.0.0.1/hook");
        await page.GetByLabel("push").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-error")).ToContainTextAsync("url:");
        await Assertions.Expect(url).ToHaveValueAsync("ftp://127.0.0.1/hook");
        await Assertions.Expect(page.GetByLabel("push")).Not.ToBeCheckedAsync();

        // Submitted from the keyboard: Enter in a field submits its form.
        await url.FillAsync("http://127.0.0.1:9/new");
        await page.GetByLabel("pull").CheckAsync();
        await page.GetByLabel("Description").FillAsync("Deploy trigger");
        await page.GetByLabel("Description").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("form-ok")).ToHaveTextAsync("Saved.");
        await Assertions.Expect(url).ToHaveValueAsync("http://127.0.0.1:9/new");

        using (var api = Api("olivia", "olivia-password-1"))
        using (var json = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/orgs/acme/webhooks/{hook.Id}")))
        {
            var webhook = json.RootElement;
            Assert.Equal("http://127.0.0.1:9/new", webhook.GetProperty("url").GetString());
            Assert.Equal(["tag", "pull"], webhook.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("Deploy trigger", webhook.GetProperty("description").GetString());
            Assert.True(webhook.GetProperty("enabled").GetBoolean());
        }

        // Rotation asks first, then shows the new secret once.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        var shown = await page.GetByTestId("new-secret-value").TextContentAsync();
        await using (var db = await Db())
        {
            var stored = _server.Get<Dockyard.Server.Protection.SecretProtector>().Unprotect((await db.Webhooks.SingleAsync(w => w.Id == hook.Id)).Secret);
            Assert.Equal(stored, shown);
            Assert.NotEqual(oldSecret, stored);
        }

        await page.GotoAsync(page.Url);
        await Assertions.Expect(page.GetByTestId("new-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(shown!, await page.ContentAsync(), StringComparison.Ordinal);

        await using (var db = await Db())
        {
            var updates = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Action == "webhook.update" && e.Resource == $"orgs/acme/webhooks/{hook.Id}").OrderBy(e => e.Id).ToListAsync();
            Assert.Equal(["failed", "success", "success"], updates.Select(e => e.Outcome));
            Assert.Contains("\"events\":[\"tag\",\"pull\"]", updates[1].Details, StringComparison.Ordinal);
            Assert.Equal("{\"rotateSecret\":true}", updates[2].Details);
            Assert.All(updates, e => Assert.DoesNotContain("127.0.0.1", e.Details ?? string.Empty, StringComparison.Ordinal));
            Assert.All(updates, e => Assert.DoesNotContain(shown!, e.Details ?? string.Empty, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Forged_webhook_edit_and_rotation_posts_by_a_reader_are_refused_change_nothing_and_are_on_the_record()
    {
        var hooks = _server.Get<WebhookService>();
        var settings = new WebhookSettings("http://127.0.0.1:9/hook", null, null, true, null);
        var (repositoryHook, repositorySecret) = await hooks.CreateAsync(Dockyard.Server.Audit.Caller.System, WebhookTarget.ForRepository(Repository), settings, CancellationToken.None);
        var (orgHook, orgSecret) = await hooks.CreateAsync(Dockyard.Server.Audit.Caller.System, WebhookTarget.ForOrganization("acme"), settings, CancellationToken.None);
        using var bob = await UiHttpSession.SignInAsync(_server.BaseAddress, "bob", "bob-password-12");
        var token = CsrfToken().Match(await bob.GetStringAsync("/me/tokens")).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token));

        foreach (var path in new[] { $"/repositories/acme/app/-/webhooks/{repositoryHook.Id}", $"/orgs/acme/webhooks/{orgHook.Id}" })
        {
            using var get = await bob.GetAsync(path);
            Assert.True(get.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)get.StatusCode}");
            foreach (var fields in new[]
            {
                new Dictionary<string, string> { ["_handler"] = "edit-webhook", ["Form.Url"] = "http://127.0.0.1:9/stolen", ["Form.Pull"] = "true" },
                new Dictionary<string, string> { ["_handler"] = "rotate-secret" },
            })
            {
                fields["__csrf"] = token;
                using var post = await bob.PostAsync(path, new FormUrlEncodedContent(fields));
                var body = await post.Content.ReadAsStringAsync();
                Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"{path} {fields["_handler"]}: {(int)post.StatusCode}");
                Assert.DoesNotContain("new-secret", body, StringComparison.Ordinal);
            }
        }

        await using var db = await Db();
        var unchanged = await db.Webhooks.AsNoTracking().OrderBy(w => w.Id).ToListAsync();
        Assert.All(unchanged, w => Assert.Equal("http://127.0.0.1:9/hook", w.Url));
        Assert.Equal([repositorySecret, orgSecret], unchanged.Select(w => _server.Get<Dockyard.Server.Protection.SecretProtector>().Unprotect(w.Secret)));
        Assert.Equal(4, await db.AuditEntries.CountAsync(e => e.Action == "webhook.update" && e.Outcome == "denied" && e.ActorName == "bob"));
    }

    private Task<DockyardDbContext> Db() => _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();

    private HttpClient Api(string username, string password)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        return client;
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();

    [GeneratedRegex("data-testid=\"new-secret-value\"[^>]*>([^<]+)<")]
    private static partial Regex NewSecret();
}
