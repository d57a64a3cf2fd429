using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Api;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Trust.Policies;

/// <summary>The signature policy API: validation, round trips, who may change policies, the audit trail, the team delete guard.</summary>
public sealed class TrustPolicyApiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _owner = null!;
    private HttpClient _member = null!;
    private HttpClient _outsider = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        var (ownerId, owner) = await _server.UserAsync("owner");
        _owner = owner;
        (_, _member) = await _server.UserAsync("member");
        (_, _outsider) = await _server.UserAsync("outsider");
        var prod = await _server.CreateOrganizationAsync("prod", ownerId);
        await _server.AddMemberAsync(prod, "member");
        await _server.CreateOrganizationAsync("qa", ownerId);
        var teams = _server.Get<TeamService>();
        await teams.CreateAsync(Caller.System, "prod", "security", null, CancellationToken.None);
        await teams.CreateAsync(Caller.System, "qa", "testers", null, CancellationToken.None);
        await teams.CreateAsync(Caller.System, "prod", "spare", null, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TrustPolicies_CreateListUpdateDelete_ValidatedAndAudited()
    {
        const string url = "/api/v1/orgs/prod/trust-policies";
        await ProblemAssert.InvalidAsync("repositoryPattern", await _owner.PostAsJsonAsync(url, new { repositoryPattern = "qa/*", enforceDeploy = true }));
        await ProblemAssert.InvalidAsync("mode", await _owner.PostAsJsonAsync(url, new { mode = "some", enforceDeploy = true }));
        await ProblemAssert.InvalidAsync("teams", await _owner.PostAsJsonAsync(url, new { mode = "teams", enforceDeploy = true }));
        await ProblemAssert.InvalidAsync("teams", await _owner.PostAsJsonAsync(url, new { mode = "teams", teams = new[] { "nobody" }, enforceDeploy = true }));
        await ProblemAssert.InvalidAsync("teams", await _owner.PostAsJsonAsync(url, new { mode = "any", teams = new[] { "security" }, enforceDeploy = true }));
        await ProblemAssert.InvalidAsync("enforceDeploy", await _owner.PostAsJsonAsync(url, new { mode = "any" }));
        await ProblemAssert.InvalidAsync("pullPrincipalKinds", await _owner.PostAsJsonAsync(url, new { mode = "any", enforcePull = true, pullPrincipalKinds = new[] { "robot" } }));
        await ProblemAssert.InvalidAsync("request", await _owner.PostAsync(url, null));

        using var created = await _owner.PostAsJsonAsync(url, new
        {
            repositoryPattern = "prod/api*", mode = "teams", teams = new[] { "security", "qa/testers" }, enforceDeploy = true, enforcePull = true, pullPrincipalKinds = new[] { "service_account" },
        });
        var policy = await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        var id = policy.GetProperty("id").GetInt64();
        Assert.Equal($"{url}/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("teams", policy.GetProperty("mode").GetString());
        Assert.Equal(["prod/security", "qa/testers"], policy.GetProperty("teams").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["ServiceAccount"], policy.GetProperty("pullPrincipalKinds").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("owner", policy.GetProperty("createdBy").GetString());

        // Members read; a member who is not an owner may not change; an outsider does not see the organization.
        var listed = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _member.GetAsync(url));
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetInt64());
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _member.PostAsJsonAsync(url, new { mode = "any", enforceDeploy = true }));
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _member.DeleteAsync($"{url}/{id}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _outsider.GetAsync(url));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _outsider.DeleteAsync($"{url}/{id}"));

        var updated = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.PutAsJsonAsync($"{url}/{id}", new { mode = "any", enforceDeploy = true }));
        Assert.Equal("any", updated.GetProperty("mode").GetString());
        Assert.Empty(updated.GetProperty("teams").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, updated.GetProperty("pullPrincipalKinds").ValueKind);
        Assert.False(updated.GetProperty("enforcePull").GetBoolean());
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.PutAsJsonAsync($"{url}/{id + 1000}", new { mode = "any", enforceDeploy = true }));

        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, await _owner.DeleteAsync($"{url}/{id}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.DeleteAsync($"{url}/{id}"));
        Assert.Empty((await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync(url))).EnumerateArray());

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("trust-policy.")).ToListAsync();
        Assert.Contains(entries, e => e.Action == AuditActions.TrustPolicyCreate && e.Outcome == AuditOutcomes.Success && e.Organization == "prod"
            && e.Resource == $"orgs/prod/trust-policies/{id}" && e.Details!.Contains("\"teams\":\"security,qa/testers\"", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Action == AuditActions.TrustPolicyCreate && e.Outcome == AuditOutcomes.Denied && e.ActorName == "member");
        Assert.Contains(entries, e => e.Action == AuditActions.TrustPolicyUpdate && e.Outcome == AuditOutcomes.Success && e.Details!.Contains("\"mode\":\"any\"", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Action == AuditActions.TrustPolicyDelete && e.Outcome == AuditOutcomes.Success);
        Assert.Contains(entries, e => e.Action == AuditActions.TrustPolicyDelete && e.Outcome == AuditOutcomes.Denied && e.ActorName == "member");
    }

    [Fact]
    public async Task TeamDelete_WhileAPolicyRequiresIt_IsAConflictNamingThePolicy()
    {
        using var created = await _owner.PostAsJsonAsync("/api/v1/orgs/qa/trust-policies", new { mode = "teams", teams = new[] { "prod/spare" }, enforceDeploy = true });
        var id = (await ProblemAssert.StatusAsync(HttpStatusCode.Created, created)).GetProperty("id").GetInt64();

        var refused = await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, await _owner.DeleteAsync("/api/v1/orgs/prod/teams/spare"));
        Assert.Equal($"Team prod/spare is required by signature policy {id} of qa: edit or delete the policy first.", refused.GetProperty("detail").GetString());

        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, await _owner.DeleteAsync($"/api/v1/orgs/qa/trust-policies/{id}"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, await _owner.DeleteAsync("/api/v1/orgs/prod/teams/spare"));
    }
}
