using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Api;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// Issue 14, item 5: a UI session is a server-side record, so a captured cookie stops working when the session ends
/// (sign-out, password change or reset, deactivation, the owner ending it, an administrator's "sign out everywhere")
/// and a reactivation does not bring it back. Plain HTTP with the login form: no browser needed.
/// </summary>
public sealed partial class UiSessionRevocationTests : IAsyncLifetime
{
    private const string AlicePassword = "alice-password!";
    private ApiTestServer _server = null!;
    private readonly List<HttpClient> _clients = [];

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        await _server.CreateUserAsync("alice");
    }

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SignOut_EndsTheSession_ACapturedCookieIsRefused()
    {
        var (ui, cookie) = await SignInAsync("alice", AlicePassword);
        Assert.True(await SignedInAsync(cookie));

        var page = await ui.GetStringAsync("/");
        using var logout = await ui.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = CsrfToken().Match(page).Groups[1].Value }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        Assert.False(await SignedInAsync(cookie));
    }

    [Fact]
    public async Task AdminPasswordReset_EndsTheUsersSessions()
    {
        var (_, cookie) = await SignInAsync("alice", AlicePassword);

        using var reset = await (await _server.AdminAsync()).PostAsJsonAsync("/api/v1/users/alice/password", new { password = "reset-password-123" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);

        Assert.False(await SignedInAsync(cookie));
    }

    [Fact]
    public async Task OwnPasswordChange_EndsTheUsersOtherSessions()
    {
        var (_, cookie) = await SignInAsync("alice", AlicePassword);

        using var change = await _server.WithBasic("alice", AlicePassword).PostAsJsonAsync("/api/v1/me/password", new { currentPassword = AlicePassword, newPassword = "changed-password-123" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        Assert.False(await SignedInAsync(cookie));
    }

    [Fact]
    public async Task Reactivation_DoesNotRestoreASessionEndedByDeactivation()
    {
        var (_, cookie) = await SignInAsync("alice", AlicePassword);
        var admin = await _server.AdminAsync();

        using (var off = await admin.PatchAsJsonAsync("/api/v1/users/alice", new { isActive = false }))
        {
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        }

        using (var on = await admin.PatchAsJsonAsync("/api/v1/users/alice", new { isActive = true }))
        {
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        }

        Assert.False(await SignedInAsync(cookie));
    }

    [Fact]
    public async Task Sessions_ListedAndEndedByTheirOwner_SignOutEverywhereByAnAdministrator()
    {
        var (_, laptop) = await SignInAsync("alice", AlicePassword, "LaptopBrowser/1.0");
        var (_, phone) = await SignInAsync("alice", AlicePassword, "PhoneBrowser/2.0");
        var alice = _server.WithBasic("alice", AlicePassword);

        var sessions = (await alice.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions")).EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.Equal("127.0.0.1", s.GetProperty("address").GetString()));
        Assert.DoesNotContain(laptop, sessions.ToString(), StringComparison.Ordinal);
        var laptopSession = Assert.Single(sessions, s => s.GetProperty("userAgent").GetString() == "LaptopBrowser/1.0");
        Assert.True(laptopSession.GetProperty("lastSeenAt").GetDateTimeOffset() >= laptopSession.GetProperty("createdAt").GetDateTimeOffset());

        using (var end = await alice.DeleteAsync($"/api/v1/me/sessions/{laptopSession.GetProperty("id").GetInt64()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, end.StatusCode);
        }

        Assert.False(await SignedInAsync(laptop));
        Assert.True(await SignedInAsync(phone));
        Assert.Single((await alice.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions")).EnumerateArray());

        // Another user neither sees nor ends them; an administrator signs alice out everywhere.
        var (_, bob) = await _server.UserAsync("bob");
        using (var refused = await bob.DeleteAsync("/api/v1/users/alice/sessions"))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using (var othersSession = await bob.DeleteAsync($"/api/v1/me/sessions/{laptopSession.GetProperty("id").GetInt64()}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, othersSession.StatusCode);
        }

        Assert.True(await SignedInAsync(phone));
        using (var everywhere = await (await _server.AdminAsync()).DeleteAsync("/api/v1/users/alice/sessions"))
        {
            Assert.Equal(HttpStatusCode.NoContent, everywhere.StatusCode);
        }

        Assert.False(await SignedInAsync(phone));
        Assert.Empty((await alice.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions")).EnumerateArray());
    }

    [Fact]
    public async Task ScopedToken_CannotListOrEndSessions()
    {
        var (_, cookie) = await SignInAsync("alice", AlicePassword);
        var scoped = await _server.ClientForAsync(await _server.UserIdAsync("alice"), [new TokenScope("alice/**", RepositoryActions.Pull)]);
        var id = (await _server.WithBasic("alice", AlicePassword).GetFromJsonAsync<JsonElement>("/api/v1/me/sessions"))[0].GetProperty("id").GetInt64();

        using var list = await scoped.GetAsync("/api/v1/me/sessions");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using var end = await scoped.DeleteAsync($"/api/v1/me/sessions/{id}");
        Assert.Equal(HttpStatusCode.Forbidden, end.StatusCode);
        var adminScoped = await _server.ClientForAsync(await _server.UserIdAsync(AdminBootstrapper.AdminUsername), [new TokenScope("**", RepositoryActions.All)]);
        using var everywhere = await adminScoped.DeleteAsync("/api/v1/users/alice/sessions");
        Assert.Equal(HttpStatusCode.NotFound, everywhere.StatusCode); // as to any non-administrator: other users' records are hidden

        Assert.True(await SignedInAsync(cookie));
    }

    [Fact]
    public async Task OwnSessionsPage_ShowsThisSession_AndEndsAnother()
    {
        var (other, otherCookie) = await SignInAsync("alice", AlicePassword, "OtherBrowser/1.0");
        var (ui, cookie) = await SignInAsync("alice", AlicePassword, "ThisBrowser/1.0");

        var page = await ui.GetStringAsync("/me/sessions");
        Assert.Contains("ThisBrowser/1.0", page, StringComparison.Ordinal);
        Assert.Contains("OtherBrowser/1.0", page, StringComparison.Ordinal);
        Assert.Contains("this session", page, StringComparison.Ordinal);
        var otherId = (await _server.WithBasic("alice", AlicePassword).GetFromJsonAsync<JsonElement>("/api/v1/me/sessions")).EnumerateArray()
            .Single(s => s.GetProperty("userAgent").GetString() == "OtherBrowser/1.0").GetProperty("id").GetInt64();

        using var end = await ui.PostAsync("/me/sessions", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = $"end-{otherId}",
            ["__csrf"] = CsrfToken().Match(page).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Found, end.StatusCode);

        Assert.False(await SignedInAsync(otherCookie));
        Assert.True(await SignedInAsync(cookie));
        other.Dispose();
    }

    [Fact]
    public async Task OwnPasswordChangeInTheUi_KeepsThisSession_EndsTheOthers()
    {
        var (_, otherCookie) = await SignInAsync("alice", AlicePassword, "OtherBrowser/1.0");
        var (ui, cookie) = await SignInAsync("alice", AlicePassword, "ThisBrowser/1.0");
        var page = await ui.GetStringAsync("/me/sessions");

        using var change = await ui.PostAsync("/me/sessions", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password",
            ["__csrf"] = CsrfToken().Match(page).Groups[1].Value,
            ["Form.CurrentPassword"] = AlicePassword,
            ["Form.Password"] = "changed-password-123",
        }));
        Assert.Equal(HttpStatusCode.Found, change.StatusCode);

        Assert.True(await SignedInAsync(cookie));
        Assert.False(await SignedInAsync(otherCookie));
        using var login = await _server.WithBasic("alice", "changed-password-123").GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    /// <summary>Signs in through the login form; returns the client and the session cookie it got (as an attacker would capture it).</summary>
    private async Task<(HttpClient Client, string Cookie)> SignInAsync(string username, string password, string userAgent = "TestBrowser/1.0")
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _server.Server.BaseAddress };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        _clients.Add(client);
        var login = await client.GetStringAsync("/login");
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__csrf"] = CsrfToken().Match(login).Groups[1].Value,
            ["Form.Username"] = username,
            ["Form.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return (client, cookies.GetCookies(_server.Server.BaseAddress)["dockyard_session"]!.Value);
    }

    /// <summary>Whether the captured cookie alone, replayed from elsewhere, still opens a page that needs a signed-in user.</summary>
    private async Task<bool> SignedInAsync(string cookie)
    {
        using var replay = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _server.Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me/tokens");
        request.Headers.Add("Cookie", $"dockyard_session={cookie}");
        using var response = await replay.SendAsync(request);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.Found when response.Headers.Location?.OriginalString.Contains("/login?", StringComparison.Ordinal) == true => false,
            var status => throw new InvalidOperationException($"/me/tokens answered {(int)status}"),
        };
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
