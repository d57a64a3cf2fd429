using System.Net;
using System.Net.Http.Json;

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

        await _owner.PatchAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci", new { isActive = true });
        using var revoked = await _owner.DeleteAsync($"/api/v1/orgs/prod/service-accounts/ci/tokens/{id}");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, revoked);
        using (var me = await ci.GetAsync("/api/v1/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }

        using var deleted = await _owner.DeleteAsync("/api/v1/orgs/prod/service-accounts/ci");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, deleted);
        using var gone = await _owner.GetAsync("/api/v1/orgs/prod/service-accounts/ci");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, gone);
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
