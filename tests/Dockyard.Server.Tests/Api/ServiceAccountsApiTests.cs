using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dockyard.Server.Tests.Api;

public sealed class ServiceAccountsApiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        long ownerId;
        (ownerId, _owner) = await _server.UserAsync("owner");
        await _server.CreateOrganizationAsync("prod", ownerId);
        await _server.CreateRepositoryAsync("prod/app");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ServiceAccount_TokenInsideOrg_WorksUntilRevokedOrDeactivated()
    {
        using var created = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts", new { name = "ci", description = "CI" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        using var duplicate = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts", new { name = "ci" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, duplicate);

        using var token = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci/tokens", new { name = "push", scopes = new[] { new { repository = "prod/*", actions = new[] { "pull", "push" } } } });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, token);
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("token").GetProperty("id").GetInt64();
        var ci = _server.WithBearer(secret);

        using (var me = await ci.GetAsync("/api/v1/me"))
        {
            Assert.Contains("\"name\":\"prod/ci\"", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var repo = await ci.GetAsync("/api/v1/repositories/prod/app"))
        {
            Assert.Equal(HttpStatusCode.OK, repo.StatusCode);
        }

        var listed = await _owner.GetStringAsync("/api/v1/orgs/prod/service-accounts/ci/tokens");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Contains("\"lastUsedAt\":\"", listed, StringComparison.Ordinal);

        using var deactivated = await _owner.PatchAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci", new { isActive = false });
        await ProblemAssert.StatusAsync(HttpStatusCode.OK, deactivated);
        using (var me = await ci.GetAsync("/api/v1/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }

        // Deactivation revoked the token for good; a new one, made after reactivation, is revoked by hand.
        await _owner.PatchAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci", new { isActive = true });
        using var again = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci/tokens", new { name = "push2", scopes = new[] { new { repository = "prod/*", actions = new[] { "pull" } } } });
        var second = await ProblemAssert.StatusAsync(HttpStatusCode.Created, again);
        var ci2 = _server.WithBearer(second.GetProperty("secret").GetString()!);
        using (var me = await ci2.GetAsync("/api/v1/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        using var revoked = await _owner.DeleteAsync($"/api/v1/orgs/prod/service-accounts/ci/tokens/{second.GetProperty("token").GetProperty("id").GetInt64()}");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, revoked);
        using (var me = await ci2.GetAsync("/api/v1/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }

        using var deleted = await _owner.DeleteAsync("/api/v1/orgs/prod/service-accounts/ci");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, deleted);
        using var gone = await _owner.GetAsync("/api/v1/orgs/prod/service-accounts/ci");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, gone);
    }

    [Fact]
    public async Task Deactivation_RevokesTheAccountsTokensForGood_ReactivationRestoresNothing()
    {
        using var created = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts", new { name = "ci" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        using var token = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci/tokens", new { name = "pull", scopes = new[] { new { repository = "prod/**", actions = new[] { "pull" } } } });
        var secret = (await ProblemAssert.StatusAsync(HttpStatusCode.Created, token)).GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await MeAsync(secret));
        Assert.Equal(HttpStatusCode.OK, await RegistryRootAsync(secret));

        using (var off = await _owner.PatchAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci", new { isActive = false }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, off);
        }

        using (var on = await _owner.PatchAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci", new { isActive = true }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, on);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(secret));
        Assert.Equal(HttpStatusCode.Unauthorized, await RegistryRootAsync(secret));
        var listed = await _owner.GetFromJsonAsync<JsonElement>("/api/v1/orgs/prod/service-accounts/ci/tokens");
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal(JsonValueKind.String, only.GetProperty("revokedAt").ValueKind);
    }

    private async Task<HttpStatusCode> MeAsync(string secret)
    {
        using var response = await _server.WithBearer(secret).GetAsync("/api/v1/me");
        return response.StatusCode;
    }

    /// <summary>docker login as the service account: a registry token from /auth/token, then <c>GET /v2/</c> with it.</summary>
    private async Task<HttpStatusCode> RegistryRootAsync(string secret)
    {
        using var issued = await _server.WithBasic("prod/ci", secret).GetAsync("/auth/token?service=dockyard&scope=repository:prod/app:pull");
        if (issued.StatusCode != HttpStatusCode.OK)
        {
            return issued.StatusCode;
        }

        var jwt = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var registry = await _server.WithBearer(jwt).GetAsync("/v2/");
        return registry.StatusCode;
    }

    [Theory]
    [InlineData("other/*")]
    [InlineData("prod*")]
    [InlineData("**")]
    [InlineData("production/app")]
    public async Task Token_ScopeOutsideOrganization_400(string pattern)
    {
        await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts", new { name = "ci" });

        using var response = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci/tokens", new { name = "t", scopes = new[] { new { repository = pattern, actions = new[] { "pull" } } } });

        await ProblemAssert.InvalidAsync("scopes[0].repository", response);
    }

    [Fact]
    public async Task Token_WithoutScopes_400_UnknownAccount_404()
    {
        await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts", new { name = "ci" });

        using var noScopes = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci/tokens", new { name = "t" });
        await ProblemAssert.InvalidAsync("scopes", noScopes);
        using var unknown = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts/nope/tokens", new { name = "t", scopes = new[] { new { repository = "prod/*", actions = new[] { "pull" } } } });
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, unknown);
        using var badName = await _owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts", new { name = "CI" });
        await ProblemAssert.InvalidAsync("name", badName);
    }
}
