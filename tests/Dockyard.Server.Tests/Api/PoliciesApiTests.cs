using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Api;

/// <summary>The policy management API: validation messages, round trips, storage on GET org, audit of changes.</summary>
public sealed class PoliciesApiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _admin = await _server.AdminAsync();
        var (ownerId, owner) = await _server.UserAsync("owner");
        _owner = owner;
        await _server.CreateOrganizationAsync("acme", ownerId);
        await _server.CreateRepositoryAsync("acme/app");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ImmutabilityRules_CreateListDelete_AndInvalidPatternsRejected()
    {
        await ProblemAssert.InvalidAsync("tagPattern", await _owner.PostAsJsonAsync("/api/v1/orgs/acme/immutability-rules", new { tagPattern = "v/1" }));
        await ProblemAssert.InvalidAsync("tagPattern", await _owner.PostAsJsonAsync("/api/v1/orgs/acme/immutability-rules", new { }));
        await ProblemAssert.InvalidAsync("repositoryPattern", await _owner.PostAsJsonAsync("/api/v1/orgs/acme/immutability-rules", new { tagPattern = "v*", repositoryPattern = "other/*" }));

        using var created = await _owner.PostAsJsonAsync("/api/v1/orgs/acme/immutability-rules", new { tagPattern = "v*" });
        var rule = await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        Assert.Equal("v*", rule.GetProperty("tagPattern").GetString());
        Assert.Equal("owner", rule.GetProperty("createdBy").GetString());
        var problem = await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, await _owner.PostAsJsonAsync("/api/v1/orgs/acme/immutability-rules", new { tagPattern = "v*" }));
        Assert.Equal("organization acme already has the rule \"v*\".", problem.GetProperty("detail").GetString());

        using var repositoryRule = await _owner.PostAsJsonAsync("/api/v1/repositories/acme/app/immutability-rules", new { tagPattern = "release-*" });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, repositoryRule);
        var list = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync("/api/v1/repositories/acme/app/immutability-rules"));
        Assert.Equal("release-*", Assert.Single(list.EnumerateArray()).GetProperty("tagPattern").GetString());

        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, await _owner.DeleteAsync(created.Headers.Location));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.DeleteAsync(created.Headers.Location));

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.ImmutabilityRuleCreate && e.Outcome == AuditOutcomes.Success).ToListAsync();
        Assert.Contains(audit, e => e.Organization == "acme" && e.Repository == null && e.Details!.Contains("\"tagPattern\":\"v*\"", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Repository == "acme/app");
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ImmutabilityRuleDelete && e.Outcome == AuditOutcomes.Success));
    }

    [Fact]
    public async Task RetentionPolicy_PutGetDelete_ValidatesAndRunsDry()
    {
        await ProblemAssert.InvalidAsync("deleteUntaggedAfter", await _owner.PutAsJsonAsync("/api/v1/repositories/acme/app/retention", new { deleteUntaggedAfter = "soon" }));
        await ProblemAssert.InvalidAsync("keepLastTags", await _owner.PutAsJsonAsync("/api/v1/orgs/acme/retention", new { includeRecent = true }));
        await ProblemAssert.InvalidAsync("keepTags", await _owner.PutAsJsonAsync("/api/v1/orgs/acme/retention", new { keepTags = new[] { "a b" } }));

        await ProblemAssert.StatusAsync(HttpStatusCode.Created, await _owner.PutAsJsonAsync("/api/v1/orgs/acme/retention", new { keepLastTags = 3, keepTags = new[] { "release-*" }, deleteUntaggedAfter = "14d" }));
        var updated = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.PutAsJsonAsync("/api/v1/orgs/acme/retention", new { keepLastTags = 5, deleteUntaggedAfter = "14d" }));
        Assert.Equal(5, updated.GetProperty("keepLastTags").GetInt32());
        Assert.Equal("2w", updated.GetProperty("deleteUntaggedAfter").GetString());
        Assert.Empty(updated.GetProperty("keepTags").EnumerateArray());

        var run = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.PostAsync("/api/v1/repositories/acme/app/retention/run?dryRun=true", null));
        Assert.True(run.GetProperty("dryRun").GetBoolean());
        Assert.Equal(1, run.GetProperty("repositories").GetInt32());
        Assert.Equal(0, run.GetProperty("planned").GetInt32());

        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, await _owner.DeleteAsync("/api/v1/orgs/acme/retention"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await _owner.GetAsync("/api/v1/orgs/acme/retention"));
    }

    [Fact]
    public async Task Quota_OnlySystemAdministratorsSet_UsageOnGetOrganization()
    {
        var forbidden = await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await _owner.PutAsJsonAsync("/api/v1/orgs/acme/quota", new { limitBytes = 10 }));
        Assert.Equal("Only system administrators may set storage quotas.", forbidden.GetProperty("detail").GetString());
        await ProblemAssert.InvalidAsync("limitBytes", await _admin.PutAsJsonAsync("/api/v1/orgs/acme/quota", new { limitBytes = -1 }));

        var set = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _admin.PutAsJsonAsync("/api/v1/orgs/acme/quota", new { limitBytes = 1L << 30 }));
        Assert.Equal("1 GiB", set.GetProperty("limit").GetString());
        var organization = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync("/api/v1/orgs/acme"));
        Assert.Equal(1L << 30, organization.GetProperty("storage").GetProperty("limitBytes").GetInt64());
        Assert.Equal(0, organization.GetProperty("storage").GetProperty("usedBytes").GetInt64());

        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, await _admin.DeleteAsync("/api/v1/orgs/acme/quota"));
        var cleared = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await _owner.GetAsync("/api/v1/orgs/acme/quota"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("limitBytes").ValueKind);
    }
}
