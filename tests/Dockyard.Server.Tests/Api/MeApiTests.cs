using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Access;

namespace Dockyard.Server.Tests.Api;

public sealed class MeApiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ChangePassword_WithCurrent_Works_WrongCurrentOrWeakNew_400()
    {
        await _server.CreateUserAsync("alice");
        var alice = _server.WithBasic("alice", "alice-password!");

        using var wrong = await alice.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "nope-nope-nope", newPassword = "new-password-123" });
        await ProblemAssert.InvalidAsync("currentPassword", wrong);
        using var weak = await alice.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "alice-password!", newPassword = "short" });
        await ProblemAssert.InvalidAsync("newPassword", weak);
        using var ok = await alice.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "alice-password!", newPassword = "new-password-123" });
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, ok);

        using var old = await _server.WithBasic("alice", "alice-password!").GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        using var fresh = await _server.WithBasic("alice", "new-password-123").GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_Anonymous_401()
    {
        using var response = await _server.Anonymous().PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "a", newPassword = "b" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, response);
    }

    [Fact]
    public async Task PersonalTokens_CreateShowsSecretOnce_ListHidesIt_TokenWorks_RevokeStopsIt()
    {
        var (_, alice) = await _server.UserAsync("alice");

        using var created = await alice.PostAsJsonAsync("/api/v1/me/tokens", new { name = "laptop", scopes = new[] { new { repository = "alice/*", actions = new[] { "pull", "push" } } }, expiresAt = DateTimeOffset.UtcNow.AddDays(1) });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("token").GetProperty("id").GetInt64();
        Assert.StartsWith("dky_", secret, StringComparison.Ordinal);

        var listed = await alice.GetStringAsync("/api/v1/me/tokens");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Contains("\"laptop\"", listed, StringComparison.Ordinal);
        Assert.Contains("alice/*", listed, StringComparison.Ordinal);

        using (var me = await _server.WithBearer(secret).GetAsync("/api/v1/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        using var scopedCreate = await _server.WithBearer(secret).PostAsJsonAsync("/api/v1/me/tokens", new { name = "wider" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, scopedCreate);

        using var revoked = await alice.DeleteAsync($"/api/v1/me/tokens/{id}");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, revoked);
        using var after = await _server.WithBearer(secret).GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task PersonalTokens_InvalidInput_400_OthersToken_404()
    {
        var (_, alice) = await _server.UserAsync("alice");
        var bobId = await _server.CreateUserAsync("bob");
        var (bobToken, _) = await _server.Get<Dockyard.Server.Identity.AccessTokenService>().CreateForUserAsync(bobId, "b", null, null, CancellationToken.None);

        using var noName = await alice.PostAsJsonAsync("/api/v1/me/tokens", new { name = "" });
        await ProblemAssert.InvalidAsync("name", noName);
        using var past = await alice.PostAsJsonAsync("/api/v1/me/tokens", new { name = "x", expiresAt = DateTimeOffset.UtcNow.AddDays(-1) });
        await ProblemAssert.InvalidAsync("expiresAt", past);
        using var badAction = await alice.PostAsJsonAsync("/api/v1/me/tokens", new { name = "x", scopes = new[] { new { repository = "alice/app", actions = new[] { "admin" } } } });
        await ProblemAssert.InvalidAsync("scopes[0].actions", badAction);
        using var badPattern = await alice.PostAsJsonAsync("/api/v1/me/tokens", new { name = "x", scopes = new[] { new { repository = "Alice/../x", actions = new[] { "pull" } } } });
        await ProblemAssert.InvalidAsync("scopes[0].repository", badPattern);
        using var others = await alice.DeleteAsync($"/api/v1/me/tokens/{bobToken.Id}");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, others);
    }

    [Fact]
    public async Task ScopedTokenOfAdmin_CannotAdminister()
    {
        var scoped = await _server.ClientForAsync(await _server.UserIdAsync("admin"), [new TokenScope("**", RepositoryActions.All)]);

        using var users = await scoped.GetAsync("/api/v1/users");

        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, users);
    }
}
