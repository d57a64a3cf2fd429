using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
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

    public async Task InitializeAsync()
    {
        _server = await UiTestServer.StartAsync(browser);
        var olivia = await _server.Seed.UserAsync("olivia", "olivia-password-1");
        _bob = await _server.Seed.UserAsync("bob", "bob-password-12");
        var acme = await _server.Seed.OrganizationAsync("acme");
        await _server.Seed.MemberAsync(acme, olivia, owner: true);
        await _server.Seed.MemberAsync(acme, _bob);
        await _server.Seed.TeamAsync(acme, "devs", _bob);
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
        await page.WaitForURLAsync(url => url.EndsWith("/repositories/acme/app/-/settings", StringComparison.Ordinal));

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

        Assert.Equal(secret, webhook.Secret);
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

    private Task<DockyardDbContext> Db() => _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();

    private HttpClient Api(string username, string password)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        return client;
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();

    [GeneratedRegex("data-testid=\"new-secret-value\">([^<]+)<")]
    private static partial Regex NewSecret();
}
