using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Server.Tests.Tokens;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// The UI sign-in of a throttled source address answers like every other surface: 429 with <c>Retry-After</c>, here
/// with a readable message on the page and the form kept (it answered 200 before). Plain HTTP, no browser.
/// </summary>
public sealed partial class UiLoginThrottleTests : IAsyncLifetime
{
    private AuthTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await AuthTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Auth:Lockout:MaxFailuresPerAddress"] = "3" });
        await _server.Seed.UserAsync("alice", "correct-horse-battery");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SignIn_FromALockedAddress_Answers429WithRetryAfterAndAReadableMessage_KeepingTheForm()
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _server.Server.BaseAddress };
        for (var i = 0; i < 3; i++)
        {
            using var failed = await SignInAsync(client, "alice", "wrong-password");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            Assert.Contains("Incorrect username or password.", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The address is locked now: even the right password is not checked.
        using var throttled = await SignInAsync(client, "alice", "correct-horse-battery");
        var page = await throttled.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.InRange(throttled.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
        Assert.Contains("Too many sign-in attempts from your network address.", page, StringComparison.Ordinal);
        Assert.Contains("name=\"Form.Username\"", page, StringComparison.Ordinal);
        Assert.Matches(CsrfToken(), page);
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "dockyard_session");
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string username, string password)
    {
        var login = await client.GetStringAsync("/login");
        var token = CsrfToken().Match(login).Groups[1].Value;
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__csrf"] = token,
            ["Form.Username"] = username,
            ["Form.Password"] = password,
        }));
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
