using System.Net;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Tokens;

/// <summary>Failed-login throttling (shared state in the database); runs on SQLite and PostgreSQL.</summary>
public abstract class LoginThrottleTests(TestDatabase database) : IAsyncLifetime
{
    private AuthTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await AuthTestServer.StartAsync(await database.CreateAsync());
        await _server.Seed.UserAsync("alice", "alice-password");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ICredentialAuthenticator Authenticator => _server.Get<ICredentialAuthenticator>();

    [Fact]
    public async Task AuthenticateAsync_TenFailures_LocksUserThenUnlocksAfterWindow()
    {
        for (var i = 0; i < 9; i++)
        {
            Assert.False((await Authenticator.AuthenticateAsync("alice", "wrong", CancellationToken.None)).Succeeded);
        }

        Assert.True((await Authenticator.AuthenticateAsync("alice", "alice-password", CancellationToken.None)).Succeeded);
        for (var i = 0; i < 10; i++)
        {
            Assert.False((await Authenticator.AuthenticateAsync("ALICE", "wrong", CancellationToken.None)).Succeeded);
        }

        Assert.False((await Authenticator.AuthenticateAsync("alice", "alice-password", CancellationToken.None)).Succeeded);
        _server.Time.Advance(TimeSpan.FromMinutes(14));
        Assert.False((await Authenticator.AuthenticateAsync("alice", "alice-password", CancellationToken.None)).Succeeded);
        _server.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await Authenticator.AuthenticateAsync("alice", "alice-password", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task AuthenticateAsync_FailuresSpreadBeyondWindow_DoNotLock()
    {
        for (var i = 0; i < 9; i++)
        {
            await Authenticator.AuthenticateAsync("alice", "wrong", CancellationToken.None);
        }

        _server.Time.Advance(TimeSpan.FromMinutes(16));
        for (var i = 0; i < 9; i++)
        {
            await Authenticator.AuthenticateAsync("alice", "wrong", CancellationToken.None);
        }

        Assert.True((await Authenticator.AuthenticateAsync("alice", "alice-password", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task AuthenticateAsync_UnknownUser_LockedLikeKnownOne()
    {
        for (var i = 0; i < 10; i++)
        {
            await Authenticator.AuthenticateAsync("ghost", "wrong", CancellationToken.None);
        }

        Assert.Equal("locked out after repeated failures", (await Authenticator.AuthenticateAsync("ghost", "x", CancellationToken.None)).FailureReason);
        Assert.True((await Authenticator.AuthenticateAsync("alice", "alice-password", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task TokenEndpoint_LockedUser_AnswersExactlyLikeWrongPassword()
    {
        using var http = _server.CreateClient();
        var wrong = await StatusAndBodyAsync(http, "alice", "wrong");
        for (var i = 0; i < 9; i++)
        {
            await StatusAndBodyAsync(http, "alice", "wrong");
        }

        var locked = await StatusAndBodyAsync(http, "alice", "alice-password");
        Assert.Equal(HttpStatusCode.Unauthorized, locked.Status);
        Assert.Equal(wrong, locked);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "alice", ["password"] = "alice-password" });
        using var post = await http.PostAsync("/auth/token", form);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    [Fact]
    public async Task ManagementApiBasic_IsThrottledToo()
    {
        using var http = _server.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me") { Headers = { Authorization = TokenEndpointTests.Basic("alice", "wrong") } };
            using var failed = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var good = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me") { Headers = { Authorization = TokenEndpointTests.Basic("alice", "alice-password") } };
        using var response = await http.SendAsync(good);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SourceAddress_LockedAfterManyUsers()
    {
        var settings = await database.CreateAsync();
        settings["Dockyard:Auth:Lockout:MaxFailuresPerAddress"] = "5";
        await using var server = await AuthTestServer.StartAsync(settings);
        await server.Seed.UserAsync("bob", "bob-password");
        using var http = server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await StatusAndBodyAsync(http, $"user{i}", "wrong");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await StatusAndBodyAsync(http, "bob", "bob-password")).Status);
        server.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, (await StatusAndBodyAsync(http, "bob", "bob-password")).Status);
    }

    [Fact]
    public async Task SourceAddress_BehindTrustedProxy_IsTheForwardedClient()
    {
        await using var server = await AuthTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Dockyard:Auth:Lockout:MaxFailuresPerAddress"] = "5",
            ["Dockyard:Audit:TrustedProxies:0"] = "127.0.0.1",
            ["Dockyard:Audit:TrustedProxies:1"] = "::1",
        });
        await server.Seed.UserAsync("bob", "bob-password");
        using var http = server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await StatusAndBodyAsync(http, $"user{i}", "wrong", forwardedFor: "203.0.113.7");
        }

        // The attacker's forwarded address is locked; another client behind the same proxy is not.
        Assert.Equal(HttpStatusCode.Unauthorized, (await StatusAndBodyAsync(http, "bob", "bob-password", forwardedFor: "203.0.113.7")).Status);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndBodyAsync(http, "bob", "bob-password", forwardedFor: "198.51.100.9")).Status);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndBodyAsync(http, "bob", "bob-password")).Status);
    }

    [Fact]
    public async Task SourceAddress_ForwardedForFromUntrustedPeer_IsIgnored()
    {
        await using var server = await AuthTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Auth:Lockout:MaxFailuresPerAddress"] = "5" });
        await server.Seed.UserAsync("bob", "bob-password");
        using var http = server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            // A client rotating a forged header still counts against its real address.
            await StatusAndBodyAsync(http, $"user{i}", "wrong", forwardedFor: $"203.0.113.{i}");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await StatusAndBodyAsync(http, "bob", "bob-password", forwardedFor: "198.51.100.9")).Status);
    }

    [Fact]
    public void UserKey_LongName_IsBoundedAndDistinct()
    {
        var a = LoginThrottle.UserKey(new string('a', 400));
        var b = LoginThrottle.UserKey(new string('a', 399) + "b");
        Assert.True(a.Length <= 320);
        Assert.NotEqual(a, b);
        Assert.Equal("user:alice", LoginThrottle.UserKey(" Alice "));
    }

    private static async Task<(HttpStatusCode Status, string Body)> StatusAndBodyAsync(HttpClient http, string user, string password, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=dockyard") { Headers = { Authorization = TokenEndpointTests.Basic(user, password) } };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? "token" : body);
    }
}
