using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Api;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Trust.Policies;

/// <summary>
/// Pull enforcement over /v2: a policy for service accounts on <c>prod/api*</c> refuses an unsigned manifest (GET and
/// HEAD, by tag and by digest) with DENIED naming the policy and the missing team, while a user still pulls it; a
/// signed one, the signature manifest itself and a repository the pattern does not cover stay pullable.
/// </summary>
public sealed class TrustPolicyPullTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ManifestGet_UnderServiceAccountPullPolicy_DeniesUnsignedForServiceAccountsOnly()
    {
        var (ownerId, owner) = await _server.UserAsync("owner");
        await _server.CreateOrganizationAsync("prod", ownerId);
        await _server.Get<TeamService>().CreateAsync(Caller.System, "prod", "security", null, CancellationToken.None);
        using var key = await TrustTestSigning.TeamKeyAsync(_server, "prod", "security", "sec");
        using (var account = await owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts", new { name = "ci" }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Created, account);
        }

        using var token = await owner.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci/tokens", new { name = "pull", scopes = new[] { new { repository = "prod/**", actions = new[] { "pull" } } } });
        var secret = (await ProblemAssert.StatusAsync(HttpStatusCode.Created, token)).GetProperty("secret").GetString()!;

        var pusher = await TrustTestSigning.RegistryAsync(_server, "owner", "owner-password!", "pull,push", "prod/api", "prod/web");
        var (_, unsigned) = await pusher.PushImageAsync("prod/api", "unsigned", layerText: "unsigned");
        var (_, signed) = await pusher.PushImageAsync("prod/api", "signed", layerText: "signed");
        var signature = await TrustTestSigning.SignAsync(pusher, "prod/api", signed, key);
        await pusher.PushImageAsync("prod/web", "v1", layerText: "web");

        using (var created = await owner.PostAsJsonAsync("/api/v1/orgs/prod/trust-policies", new
        {
            repositoryPattern = "prod/api*", mode = "teams", teams = new[] { "security" }, enforcePull = true, pullPrincipalKinds = new[] { "ServiceAccount" },
        }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        }

        var policy = (await ProblemAssert.StatusAsync(HttpStatusCode.OK, await owner.GetAsync("/api/v1/orgs/prod/trust-policies")))[0].GetProperty("id").GetInt64();
        var ci = await TrustTestSigning.RegistryAsync(_server, "prod/ci", secret, "pull", "prod/api", "prod/web");
        var expected = $"prod/api@{unsigned} is not signed as policy {policy} of prod requires: missing signatures from team prod/security";
        using (var byTag = await ci.Http.GetAsync("/v2/prod/api/manifests/unsigned"))
        {
            await AssertDeniedAsync(byTag, expected);
        }

        using (var byDigest = await ci.Http.GetAsync($"/v2/prod/api/manifests/{unsigned}"))
        {
            await AssertDeniedAsync(byDigest, expected);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await ci.StatusOfAsync(HttpMethod.Head, "/v2/prod/api/manifests/unsigned"));
        Assert.Equal(HttpStatusCode.OK, await ci.StatusOfAsync(HttpMethod.Get, "/v2/prod/api/manifests/signed"));
        Assert.Equal(HttpStatusCode.OK, await ci.StatusOfAsync(HttpMethod.Get, $"/v2/prod/api/manifests/{signed}"));
        Assert.Equal(HttpStatusCode.OK, await ci.StatusOfAsync(HttpMethod.Get, $"/v2/prod/api/manifests/{TrustTestSigning.SignatureTag(signed)}"));
        Assert.Equal(HttpStatusCode.OK, await ci.StatusOfAsync(HttpMethod.Get, $"/v2/prod/api/manifests/{signature}"));
        Assert.Equal(HttpStatusCode.OK, await ci.StatusOfAsync(HttpMethod.Get, "/v2/prod/web/manifests/v1"));

        // A user is not a service account: the same unsigned manifest pulls.
        var user = await TrustTestSigning.RegistryAsync(_server, "owner", "owner-password!", "pull", "prod/api");
        Assert.Equal(HttpStatusCode.OK, await user.StatusOfAsync(HttpMethod.Get, "/v2/prod/api/manifests/unsigned"));

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var denied = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.ManifestPull && e.Outcome == AuditOutcomes.Denied && e.Repository == "prod/api").ToListAsync();
        Assert.Equal(2, denied.Count);
        Assert.All(denied, e => Assert.Equal(expected, e.Reason));
        Assert.All(denied, e => Assert.Equal("prod/ci", e.ActorName));
    }

    private static async Task AssertDeniedAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("errors")[0];
        Assert.Equal("DENIED", error.GetProperty("code").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
    }
}
