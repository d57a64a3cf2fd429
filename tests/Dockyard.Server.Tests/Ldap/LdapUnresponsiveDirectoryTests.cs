using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dockyard.Server.Identity;
using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>
/// A directory that accepts connections but never answers (a silent listener, or the fixture's slapd frozen with
/// SIGSTOP) must not hang sign-ins: every directory conversation ends within the configured timeout, and a flood of
/// such sign-ins leaves the rest of the server responsive.
/// </summary>
[Collection(LdapCollection.Name)]
public sealed class LdapUnresponsiveDirectoryTests(SlapdFixture slapd)
{
    private static readonly Uri TestUri = new("/api/v1/ldap/test", UriKind.Relative);
    private static readonly TimeSpan DirectoryTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Scheduling slack on a loaded 2-core machine; far below "hangs".</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(4);

    /// <summary>How long a test waits for any one answer before calling it a hang.</summary>
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TokenLogin_SilentDirectory_FailsWithinTheTimeout()
    {
        using var silent = new SilentLdapListener();
        await using var server = await LdapTestServer.StartAsync(SilentSettings(silent.Url));

        var (status, elapsed) = await TokenLoginAsync(server, "nobody-local", "Some-Password-1");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(elapsed < DirectoryTimeout + Margin, $"the token request took {elapsed}");
        Assert.True(silent.AcceptedConnections > 0, "the directory was never asked");
    }

    [Fact]
    public async Task TestEndpoint_SilentDirectory_ReportsTheTimeoutWithinIt()
    {
        using var silent = new SilentLdapListener();
        await using var server = await LdapTestServer.StartAsync(null);
        using var admin = server.CreateAdminClient();

        var (result, elapsed) = await TestConnectionAsync(admin, SilentSettings(silent.Url) with { Timeout = TimeSpan.FromSeconds(2) });

        Assert.False(result.Success);
        Assert.Contains("did not answer within 2 s", result.Message, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(2) + Margin, $"the test request took {elapsed}");
    }

    [Fact]
    public async Task TestEndpoint_SilentLdapsDirectory_TlsHandshakeIsBoundedToo()
    {
        using var silent = new SilentLdapListener();
        await using var server = await LdapTestServer.StartAsync(null);
        using var admin = server.CreateAdminClient();

        var (result, elapsed) = await TestConnectionAsync(admin, SilentSettings(silent.SecureUrl));

        Assert.False(result.Success);
        Assert.True(elapsed < DirectoryTimeout + Margin, $"the test request took {elapsed}: {result.Message}");
    }

    [Fact]
    public async Task Login_FrozenSlapd_FailsWithinTheTimeoutAndWorksAgainAfterwards()
    {
        var uid = LdapTestServer.Unique("frozen");
        await slapd.AddUserAsync(uid, "Pw-frozen-1");
        var settings = LdapTestServer.OpenLdapSettings(slapd) with { Timeout = DirectoryTimeout };
        await using var server = await LdapTestServer.StartAsync(settings);
        using var admin = server.CreateAdminClient();

        await using (await slapd.FreezeAsync())
        {
            var (status, elapsed) = await TokenLoginAsync(server, uid, "Pw-frozen-1");
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.True(elapsed < DirectoryTimeout + Margin, $"the token request took {elapsed}");

            var (result, testElapsed) = await TestConnectionAsync(admin, settings);
            Assert.False(result.Success);
            Assert.True(testElapsed < DirectoryTimeout + Margin, $"the test request took {testElapsed}");
        }

        // Thawed: the abandoned operations must not have used up the directory slots.
        var (after, _) = await TokenLoginAsync(server, uid, "Pw-frozen-1");
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task ParallelLogins_SilentDirectory_HealthzStaysResponsive()
    {
        using var silent = new SilentLdapListener();
        // The per-address password limits (2 checks at once, a burst of 60) would queue or refuse most of these 64
        // logins from one address before the directory is asked; this test is about the directory bound, so it lifts them.
        await using var server = await LdapTestServer.StartAsync(SilentSettings(silent.Url), extraSettings: new Dictionary<string, string?>
        {
            ["Dockyard:Auth:Lockout:ConcurrentChecksPerAddress"] = "64",
            ["Dockyard:Auth:Lockout:AddressBurst"] = "128",
        });
        using var health = server.CreateClient();
        health.Timeout = HangBound;
        using (var warm = await health.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var logins = Enumerable.Range(0, 64)
            .Select(i => TokenLoginAsync(server, $"flood{i}", "Some-Password-1"))
            .ToList();
        var all = Task.WhenAll(logins);
        var slowest = TimeSpan.Zero;
        var probes = 0;
        while (!all.IsCompleted || probes < 5)
        {
            var watch = Stopwatch.StartNew();
            using (var probe = await health.GetAsync(new Uri("/healthz", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
            }

            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            probes++;
            await Task.WhenAny(all, Task.Delay(200));
        }

        var results = await all.WaitAsync(HangBound);
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"/healthz took {slowest} while 64 logins waited on the directory");
        Assert.All(results, r => Assert.Equal(HttpStatusCode.Unauthorized, r.Status));
        // The directory part of each login ends within the timeout (waiting for a slot included). On top of it every
        // failed login pays one PBKDF2 on purpose (equal cost whatever the cause) and PasswordHashing runs one per
        // processor at a time, so 64 failures queue for 64 hashes; each also writes an audit entry and a throttle
        // record to the one SQLite file. The hash cost is measured here, on this machine under its current load.
        var hashing = Stopwatch.StartNew();
        PasswordHasher.Verify("Some-Password-1", PasswordHasher.DummyHash);
        var hashQueue = hashing.Elapsed * Math.Ceiling(64.0 / Environment.ProcessorCount);
        var longest = results.Max(r => r.Elapsed);
        Assert.True(longest < DirectoryTimeout + hashQueue + Margin + Margin, $"the slowest login took {longest} (one hash took {hashing.Elapsed})");
    }

    [Fact]
    public async Task EmptyPassword_IsRefusedWithoutAskingTheDirectory()
    {
        using var silent = new SilentLdapListener();
        await using var server = await LdapTestServer.StartAsync(SilentSettings(silent.Url));
        var ldap = server.Server.GetRequiredService<IEnumerable<IExternalPasswordAuthenticator>>().OfType<LdapPasswordAuthenticator>().Single();

        var watch = Stopwatch.StartNew();
        var result = await ldap.AuthenticateAsync("someone", string.Empty, CancellationToken.None).WaitAsync(HangBound);

        Assert.NotNull(result);
        Assert.False(result.Succeeded);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.Equal(0, silent.AcceptedConnections);
    }

    private static LdapSettings SilentSettings(string url) => new()
    {
        Enabled = true,
        Url = url,
        BindDn = SlapdFixture.BindDn,
        BindPassword = SlapdFixture.BindPassword,
        UserSearchBase = SlapdFixture.PeopleDn,
        SyncInterval = TimeSpan.Zero,
        Timeout = DirectoryTimeout,
    };

    private static async Task<(HttpStatusCode Status, TimeSpan Elapsed)> TokenLoginAsync(LdapTestServer server, string username, string password)
    {
        using var client = server.CreateClient();
        client.Timeout = HangBound;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=dockyard");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request);
        return (response.StatusCode, watch.Elapsed);
    }

    private static async Task<(LdapConnectionTestResult Result, TimeSpan Elapsed)> TestConnectionAsync(HttpClient admin, LdapSettings settings)
    {
        admin.Timeout = HangBound;
        var watch = Stopwatch.StartNew();
        using var response = await admin.PostAsJsonAsync(TestUri, new { settings });
        var result = await response.Content.ReadFromJsonAsync<LdapConnectionTestResult>();
        return (result!, watch.Elapsed);
    }
}
