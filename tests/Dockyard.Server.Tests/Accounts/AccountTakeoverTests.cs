using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Accounts;

/// <summary>
/// Issue 14, items 3 and 11, as reported: a leaked scoped token must not take over the account (change the password,
/// manage tokens), guesses of the current password count toward the login throttle, and credentials revoked by a
/// deactivation stay revoked when the user is reactivated.
/// </summary>
public sealed class AccountTakeoverTests : IAsyncLifetime
{
    private const string AlicePassword = "alice-password!";
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ScopedToken_CannotChangeThePasswordNorListOrRevokeTokens()
    {
        var (aliceId, alice) = await _server.UserAsync("alice");
        var ci = await _server.ClientForAsync(aliceId, [new TokenScope("alice/**", RepositoryActions.Pull)]);
        var full = await (await alice.PostAsJsonAsync("/api/v1/me/tokens", new { name = "laptop" })).Content.ReadFromJsonAsync<JsonElement>();
        var fullId = full.GetProperty("token").GetProperty("id").GetInt64();

        // The reported attack: a pull-only CI token guessing the current password, then changing it.
        for (var i = 0; i < 15; i++)
        {
            using var guess = await ci.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = $"guess-{i}", newPassword = "taken-over-password" });
            await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, guess);
        }

        using var change = await ci.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = AlicePassword, newPassword = "taken-over-password" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, change);
        using var list = await ci.GetAsync("/api/v1/me/tokens");
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, list);
        using var revoke = await ci.DeleteAsync($"/api/v1/me/tokens/{fullId}");
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, revoke);

        using var stillWorks = await _server.WithBasic("alice", AlicePassword).GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        using var fullStillWorks = await _server.WithBearer(full.GetProperty("secret").GetString()!).GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, fullStillWorks.StatusCode);
    }

    [Fact]
    public async Task CurrentPasswordGuesses_CountTowardTheLoginThrottle()
    {
        var (_, alice) = await _server.UserAsync("alice");

        for (var i = 0; i < 10; i++)
        {
            using var guess = await alice.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = $"guess-{i}", newPassword = "taken-over-password" });
            await ProblemAssert.InvalidAsync("currentPassword", guess);
        }

        // Locked: even the right password is refused now, here and at sign-in, exactly like a wrong one.
        using var right = await alice.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = AlicePassword, newPassword = "taken-over-password" });
        await ProblemAssert.InvalidAsync("currentPassword", right);
        using var login = await _server.WithBasic("alice", AlicePassword).GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task CurrentPassword_MustBeThePassword_NotAnAccessToken()
    {
        var (aliceId, _) = await _server.UserAsync("alice");
        var (_, secret) = await _server.Get<Dockyard.Server.Identity.AccessTokenService>().CreateForUserAsync(aliceId, "full", null, null, CancellationToken.None);

        using var response = await _server.WithBearer(secret).PostAsJsonAsync("/api/v1/me/password", new { currentPassword = secret, newPassword = "taken-over-password" });

        await ProblemAssert.InvalidAsync("currentPassword", response);
    }

    [Fact]
    public async Task ApiDeactivation_RevokesTokensForGood_ReactivationRestoresNothing()
    {
        var (aliceId, alice) = await _server.UserAsync("alice");
        var refresh = await _server.Get<RefreshTokenService>().CreateAsync(aliceId, "docker", CancellationToken.None);
        var admin = await _server.AdminAsync();

        using (var off = await admin.PatchAsJsonAsync("/api/v1/users/alice", new { isActive = false }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, off);
        }

        using (var on = await admin.PatchAsJsonAsync("/api/v1/users/alice", new { isActive = true }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, on);
        }

        await AssertRevokedForGoodAsync(aliceId, alice, refresh);
    }

    [Fact]
    public async Task LdapSyncDeactivation_RevokesTokensForGood_ReactivationRestoresNothing()
    {
        var (aliceId, alice) = await _server.UserAsync("alice");
        var refresh = await _server.Get<RefreshTokenService>().CreateAsync(aliceId, "docker", CancellationToken.None);

        // The directory no longer has alice: the scheduled sync deactivates her.
        var (deactivated, _) = await _server.Get<LdapAccountSync>().DeactivateAsync(aliceId, CancellationToken.None);
        Assert.True(deactivated);
        using (var on = await (await _server.AdminAsync()).PatchAsJsonAsync("/api/v1/users/alice", new { isActive = true }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, on);
        }

        await AssertRevokedForGoodAsync(aliceId, alice, refresh);
    }

    private async Task AssertRevokedForGoodAsync(long aliceId, HttpClient alice, string refresh)
    {
        using var bearer = await alice.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);

        using var refreshed = await _server.Anonymous().PostAsync("/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
            ["service"] = "dockyard",
            ["client_id"] = "docker",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);

        // The record says so: the token list shows when each credential was revoked.
        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        Assert.All(await db.AccessTokens.Where(t => t.UserId == aliceId).ToListAsync(), t => Assert.NotNull(t.RevokedAt));
        Assert.All(await db.RefreshTokens.Where(t => t.UserId == aliceId).ToListAsync(), t => Assert.NotNull(t.RevokedAt));
        var listed = await _server.WithBasic("alice", AlicePassword).GetFromJsonAsync<JsonElement>("/api/v1/me/tokens");
        Assert.All(listed.EnumerateArray(), t => Assert.NotEqual(JsonValueKind.Null, t.GetProperty("revokedAt").ValueKind));
    }
}
