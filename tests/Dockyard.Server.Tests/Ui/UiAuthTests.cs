using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui;

[Collection(UiCollection.Name)]
public sealed partial class UiAuthTests(UiBrowserFixture browser) : IAsyncLifetime
{
    private UiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await UiTestServer.StartAsync(browser);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Login_wrong_password_shows_an_error_and_no_session()
    {
        await _server.Seed.UserAsync("alice", "correct-horse-battery");
        var page = await _server.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("Incorrect username or password.");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "dockyard_session");
        await Assertions.Expect(page.Locator(".session").GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Login_then_logout_starts_and_ends_the_session_and_is_audited()
    {
        await _server.Seed.UserAsync("alice", "correct-horse-battery");
        var page = await _server.SignInAsync("alice", "correct-horse-battery");

        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator(".session-user")).ToContainTextAsync("alice");
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "dockyard_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal(-1, cookie.Expires); // a browser-session cookie; the ticket inside expires on its own

        await page.GetByTestId("user-menu-button").ClickAsync(); // Sign out is in the account menu
        await page.GetByTestId("sign-out").ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/login");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "dockyard_session");

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var logins = await db.AuditEntries.Where(e => e.Action == "auth.login.success" && e.ActorName == "alice").ToListAsync();
        Assert.Single(logins);
    }

    [Fact]
    public async Task Login_redirects_back_to_the_page_asked_for_but_never_off_site()
    {
        await _server.Seed.UserAsync("alice", "correct-horse-battery");
        var page = await _server.NewPageAsync();
        await page.GotoAsync("/login?returnUrl=%2Frepositories%3Fq%3Dx");
        await page.GetByLabel("Username").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("correct-horse-battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await UiTestServer.WaitForPathAsync(page, "/repositories");
        Assert.Equal("?q=x", new Uri(page.Url).Query);

        var other = await _server.NewPageAsync();
        await other.GotoAsync("/login?returnUrl=//evil.example/");
        await UiTestServer.SignInAsync(other, "alice", "correct-horse-battery");
        Assert.Equal(_server.BaseAddress.Authority, new Uri(other.Url).Authority);
    }

    [Fact]
    public async Task Deactivated_user_loses_the_session_at_the_next_request()
    {
        var id = await _server.Seed.UserAsync("alice", "correct-horse-battery");
        var page = await _server.SignInAsync("alice", "correct-horse-battery");
        await _server.Seed.SetActiveAsync(id, false);

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".session").GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".session-user")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Access_tokens_cannot_sign_in_to_the_ui()
    {
        var id = await _server.Seed.UserAsync("alice", "correct-horse-battery");
        var (_, secret) = await _server.Seed.Tokens.CreateForUserAsync(id, "ci", null, null, CancellationToken.None);
        var page = await _server.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("Access tokens cannot be used");
    }

    [Fact]
    public async Task Forged_posts_without_an_antiforgery_token_are_refused()
    {
        await _server.Seed.UserAsync("alice", "correct-horse-battery");
        using var client = _server.CreateClient();

        // Login form without the token (a cross-site form post).
        using var login = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Form.Username"] = "alice",
            ["Form.Password"] = "correct-horse-battery",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.False(login.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("dockyard_session", StringComparison.Ordinal)));

        // Logout with a made-up token.
        using var logout = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = "forged" }));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
    }

    [Fact]
    public async Task The_ui_cookie_does_not_authorize_the_registry_or_the_management_api()
    {
        await _server.Seed.UserAsync("alice", "correct-horse-battery", admin: true);
        var page = await _server.SignInAsync("alice", "correct-horse-battery");
        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "dockyard_session");

        using var client = _server.CreateClient();
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        me.Headers.Add("Cookie", $"{session.Name}={session.Value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(me)).StatusCode);

        using var catalog = new HttpRequestMessage(HttpMethod.Get, "/v2/_catalog");
        catalog.Headers.Add("Cookie", $"{session.Name}={session.Value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(catalog)).StatusCode);
    }

    [Fact]
    public async Task Pages_carry_a_strict_content_security_policy_and_assets_are_served_locally()
    {
        using var client = _server.CreateClient();
        using var response = await client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(ExternalUrl(), html);

        var css = AssetUrl().Match(html);
        Assert.True(css.Success, html);
        using var asset = await client.GetAsync(css.Value);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/css", asset.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex(@"/_ui/dockyard\.css\?v=[0-9a-f]+")]
    private static partial Regex AssetUrl();
}
