using System.Net;
using Dockyard.Server.Identity;

namespace Dockyard.Server.Tests.Tokens;

/// <summary>
/// The per-replica limits in front of password checks: a per-address request rate and concurrency, and a bound on
/// concurrent PBKDF2 work. Counters of <see cref="PasswordHashing"/> show what was hashed, independent of timing.
/// </summary>
public sealed class PasswordAttemptLimitTests
{
    private static readonly Dictionary<string, string?> BehindProxy = new()
    {
        ["Dockyard:Audit:TrustedProxies:0"] = "127.0.0.1",
        ["Dockyard:Audit:TrustedProxies:1"] = "::1",
    };

    [Fact]
    public async Task BurstFromOneAddress_BeyondTheLimit_Answers429WithRetryAfterAndHashesNothing()
    {
        await using var server = await AuthTestServer.StartAsync(new Dictionary<string, string?>(BehindProxy)
        {
            ["Dockyard:Auth:Lockout:AddressBurst"] = "3",
            ["Dockyard:Auth:Lockout:AddressAttemptsPerMinute"] = "1",
        });
        await server.Seed.UserAsync("bob", "bob-password");
        var hashing = server.Get<PasswordHashing>();
        using var http = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await GetTokenAsync(http, "bob", "wrong", "203.0.113.7");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var hashed = hashing.Verifications;
        using var limited = await GetTokenAsync(http, "bob", "bob-password", "203.0.113.7");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "bob", ["password"] = "bob-password" });
        using var post = new HttpRequestMessage(HttpMethod.Post, "/auth/token") { Content = form, Headers = { { "X-Forwarded-For", "203.0.113.7" } } };
        using var limitedPost = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, limited.Headers.ToString());
        Assert.Contains("TOOMANYREQUESTS", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedPost.StatusCode);
        Assert.NotNull(limitedPost.Headers.RetryAfter);
        Assert.Contains("\"error\":", await limitedPost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(hashed, hashing.Verifications);

        // Another client behind the same proxy is not affected.
        using var other = await GetTokenAsync(http, "bob", "bob-password", "198.51.100.9");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task AccessTokens_AreNotCountedAgainstTheAddressRate()
    {
        await using var server = await AuthTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Dockyard:Auth:Lockout:AddressBurst"] = "2",
            ["Dockyard:Auth:Lockout:AddressAttemptsPerMinute"] = "1",
        });
        var bob = await server.Seed.UserAsync("bob", "bob-password");
        var (_, secret) = await server.Seed.Tokens.CreateForUserAsync(bob, "ci", null, null, CancellationToken.None);
        using var http = server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            using var response = await GetTokenAsync(http, "bob", secret, null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task ConcurrentBogusLogins_FromOneAddress_AreBoundedPerAddress()
    {
        await using var server = await AuthTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Dockyard:Auth:Lockout:AddressBurst"] = "6",
            ["Dockyard:Auth:Lockout:AddressAttemptsPerMinute"] = "1",
            ["Dockyard:Auth:Lockout:MaxConcurrentHashes"] = "16",
            ["Dockyard:Auth:Lockout:MaxFailuresPerUser"] = "1000",
        });
        var hashing = server.Get<PasswordHashing>();
        using var http = server.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => GetTokenAsync(http, $"bogus{i}", "wrong", null)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 10, string.Join(", ", statuses));
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests), r => Assert.NotNull(r.Headers.RetryAfter));
        Assert.True(hashing.PeakConcurrency <= 2, $"peak {hashing.PeakConcurrency}");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<HttpResponseMessage> GetTokenAsync(HttpClient http, string user, string password, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=dockyard") { Headers = { Authorization = TokenEndpointTests.Basic(user, password) } };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
