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
    public async Task TenFailuresFromAnotherAddress_DoNotLockTheAccountOutElsewhere()
    {
        // Issue #14 item 6: ten wrong passwords for the administrator from one address locked it out everywhere.
        // Default settings: the account is now slowed (a delay on the server's clock), not refused.
        await using var server = await AuthTestServer.StartAsync(await BehindProxyAsync());
        await server.Seed.UserAsync("root", "root-password", admin: true);
        using var http = server.CreateClient();
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await StatusAndBodyAsync(http, "root", "wrong", forwardedFor: "203.0.113.7")).Status);
        }

        var pending = StatusAndBodyAsync(http, "root", "root-password", forwardedFor: "198.51.100.9");
        for (var i = 0; i < 600 && !pending.IsCompleted; i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(50)));
        }

        Assert.Equal(HttpStatusCode.OK, (await pending).Status);
    }

    [Fact]
    public async Task TenFailuresFromOneAddress_LockThatAddressForThatAccountOnly_UntilTheLockoutEnds()
    {
        await using var server = await AuthTestServer.StartAsync(await BehindProxyAsync(("Dockyard:Auth:Lockout:MaxFailuresPerUser", "1000")));
        await server.Seed.UserAsync("alice", "alice-password");
        await server.Seed.UserAsync("bob", "bob-password");
        using var http = server.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            await StatusAndBodyAsync(http, i % 2 == 0 ? "alice" : "ALICE", "wrong", forwardedFor: "203.0.113.7");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await StatusAndBodyAsync(http, "alice", "alice-password", forwardedFor: "203.0.113.7")).Status);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndBodyAsync(http, "bob", "bob-password", forwardedFor: "203.0.113.7")).Status);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndBodyAsync(http, "alice", "alice-password", forwardedFor: "198.51.100.9")).Status);
        server.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, (await StatusAndBodyAsync(http, "alice", "alice-password", forwardedFor: "203.0.113.7")).Status);
    }

    [Fact]
    public async Task FailuresFromManyAddresses_DelaySignInsToTheAccount_InsteadOfRefusingThem()
    {
        await using var server = await AuthTestServer.StartAsync(await BehindProxyAsync(("Dockyard:Auth:Lockout:MaxFailuresPerUser", "3")));
        await server.Seed.UserAsync("alice", "alice-password");
        using var http = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await StatusAndBodyAsync(http, "alice", "wrong", forwardedFor: $"203.0.113.{i}");
        }

        var pending = StatusAndBodyAsync(http, "alice", "alice-password", forwardedFor: "198.51.100.9");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(pending.IsCompleted, "the sign-in should wait for the account's delay (1 s on the server's clock)");
        server.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await pending.WaitAsync(TimeSpan.FromSeconds(30))).Status);
    }

    [Fact]
    public void UserDelayFor_DoublesAfterTheThreshold_UpToTheMaximum()
    {
        var settings = new LoginThrottleOptions { MaxFailuresPerUser = 10, UserDelay = TimeSpan.FromSeconds(1), MaxUserDelay = TimeSpan.FromSeconds(10) };

        Assert.Equal(TimeSpan.Zero, LoginThrottle.UserDelayFor(settings, 9));
        Assert.Equal(TimeSpan.FromSeconds(1), LoginThrottle.UserDelayFor(settings, 10));
        Assert.Equal(TimeSpan.FromSeconds(2), LoginThrottle.UserDelayFor(settings, 11));
        Assert.Equal(TimeSpan.FromSeconds(8), LoginThrottle.UserDelayFor(settings, 13));
        Assert.Equal(TimeSpan.FromSeconds(10), LoginThrottle.UserDelayFor(settings, 14));
        Assert.Equal(TimeSpan.FromSeconds(10), LoginThrottle.UserDelayFor(settings, int.MaxValue));
    }

    [Fact]
    public async Task LockedAddress_Answers429WithRetryAfter_OnEverySurface_WithoutHashing()
    {
        await using var server = await AuthTestServer.StartAsync(await BehindProxyAsync(("Dockyard:Auth:Lockout:MaxFailuresPerAddress", "5")));
        await server.Seed.UserAsync("bob", "bob-password");
        var hashing = server.Get<PasswordHashing>();
        using var http = server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await StatusAndBodyAsync(http, $"user{i}", "wrong", forwardedFor: "203.0.113.7");
        }

        var hashed = hashing.Verifications;
        using var get = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=dockyard") { Headers = { Authorization = TokenEndpointTests.Basic("bob", "bob-password") } };
        get.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var getResponse = await http.SendAsync(get);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "bob", ["password"] = "bob-password" });
        using var post = new HttpRequestMessage(HttpMethod.Post, "/auth/token") { Content = form, Headers = { { "X-Forwarded-For", "203.0.113.7" } } };
        using var postResponse = await http.SendAsync(post);
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me") { Headers = { Authorization = TokenEndpointTests.Basic("bob", "bob-password") } };
        api.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var apiResponse = await http.SendAsync(api);

        foreach (var response in new[] { getResponse, postResponse, apiResponse })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.InRange(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
        }

        Assert.Contains("TOOMANYREQUESTS", await getResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"error\":", await postResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", apiResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(hashed, hashing.Verifications);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndBodyAsync(http, "bob", "bob-password", forwardedFor: "198.51.100.9")).Status);
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
    public async Task UnknownUser_LockedLikeKnownOne()
    {
        using var http = _server.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            await StatusAndBodyAsync(http, "ghost", "wrong");
            await StatusAndBodyAsync(http, "alice", "wrong");
        }

        Assert.Equal(await StatusAndBodyAsync(http, "alice", "alice-password"), await StatusAndBodyAsync(http, "ghost", "x"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await StatusAndBodyAsync(http, "alice", "alice-password")).Status);
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

        Assert.Equal(HttpStatusCode.TooManyRequests, (await StatusAndBodyAsync(http, "bob", "bob-password")).Status);
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
        Assert.Equal(HttpStatusCode.TooManyRequests, (await StatusAndBodyAsync(http, "bob", "bob-password", forwardedFor: "203.0.113.7")).Status);
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

        Assert.Equal(HttpStatusCode.TooManyRequests, (await StatusAndBodyAsync(http, "bob", "bob-password", forwardedFor: "198.51.100.9")).Status);
    }

    [Fact]
    public async Task LockedAddress_AccessToken_ValidOneWorks_InvalidOneIsThrottledAndCounted()
    {
        // An access token cannot be guessed and costs no hash, so it is checked before the address counters (the
        // token endpoint's hot path makes one query fewer): a valid one works from a locked address, an invalid one
        // is answered like any attempt from that address.
        await using var server = await AuthTestServer.StartAsync(await BehindProxyAsync(("Dockyard:Auth:Lockout:MaxFailuresPerAddress", "5")));
        var bob = await server.Seed.UserAsync("bob", "bob-password");
        var (_, secret) = await server.Seed.Tokens.CreateForUserAsync(bob, "ci", null, null, CancellationToken.None);
        using var http = server.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await StatusAndBodyAsync(http, "bob", "dky_" + new string('x', 40) + i, forwardedFor: "203.0.113.7")).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await StatusAndBodyAsync(http, "bob", secret, forwardedFor: "203.0.113.7")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await StatusAndBodyAsync(http, "bob", "dky_" + new string('y', 41), forwardedFor: "203.0.113.7")).Status);

        // Five failures: the address is locked for passwords and for wrong tokens, not for the valid token.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await StatusAndBodyAsync(http, "bob", "bob-password", forwardedFor: "203.0.113.7")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await StatusAndBodyAsync(http, "bob", "dky_" + new string('z', 41), forwardedFor: "203.0.113.7")).Status);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndBodyAsync(http, "bob", secret, forwardedFor: "203.0.113.7")).Status);
    }

    [Fact]
    public void UserKey_LongName_IsBoundedAndDistinct()
    {
        var a = LoginThrottle.UserKey(new string('a', 400));
        var b = LoginThrottle.UserKey(new string('a', 399) + "b");
        Assert.True(a.Length <= 256);
        Assert.True(LoginThrottle.PairKey(System.Net.IPAddress.Parse("2001:db8::1"), new string('a', 400)).Length <= 320);
        Assert.NotEqual(a, b);
        Assert.Equal("user:alice", LoginThrottle.UserKey(" Alice "));
    }

    private async Task<Dictionary<string, string?>> BehindProxyAsync(params (string Key, string Value)[] extra)
    {
        var settings = await database.CreateAsync();
        settings["Dockyard:Audit:TrustedProxies:0"] = "127.0.0.1";
        settings["Dockyard:Audit:TrustedProxies:1"] = "::1";
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
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
