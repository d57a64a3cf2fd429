using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Audit;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Control;

/// <summary><c>/api/v1/grants</c>: administrators grant built-in roles on collections to users, teams, organizations and service accounts.</summary>
public sealed class CollectionGrantsApiTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _admin = await _server.AdminAsync();
        var owner = await _server.CreateUserAsync("alice");
        await _server.CreateOrganizationAsync("acme", owner);
        await _server.Get<TeamService>().CreateAsync(Caller.System, "acme", "payments", null, CancellationToken.None);
        await _server.Get<ServiceAccountService>().CreateAsync(Caller.System, "acme", "ci", null, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Grants_CreateListDelete_EverySubjectKind()
    {
        var after = await LastAuditIdAsync();
        var ids = new List<long>();
        foreach (var (kind, subject, role, collection) in new[]
        {
            ("user", "alice", "view-only", "/orgs/acme"),
            ("team", "acme/payments", "restricted-control", "/orgs/acme/payments"),
            ("organization", "acme", "scheduler", "/Shared"),
            ("service-account", "acme/ci", "full-control", "/orgs/acme/ci"),
        })
        {
            using var response = await _admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = kind, subject, role, collection });
            var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, response);
            Assert.Equal((kind, subject, role, collection), (body.GetProperty("subjectKind").GetString(), body.GetProperty("subject").GetString(), body.GetProperty("role").GetString(), body.GetProperty("collection").GetString()));
            ids.Add(body.GetProperty("id").GetInt64());
            Assert.Equal($"/api/v1/grants/{ids[^1]}", response.Headers.Location?.OriginalString);
        }

        var listed = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/grants")).EnumerateArray().ToList();
        Assert.Equal(["alice", "acme/payments", "acme", "acme/ci"], listed.Select(g => g.GetProperty("subject").GetString()));
        Assert.All(listed, g => Assert.Equal("admin", g.GetProperty("createdBy").GetString()));

        using (var duplicate = await _admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = "alice", role = "view-only", collection = "/orgs/acme" }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, duplicate);
        }

        using (var deleted = await _admin.DeleteAsync($"/api/v1/grants/{ids[0]}"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, deleted);
        }

        using (var again = await _admin.DeleteAsync($"/api/v1/grants/{ids[0]}"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, again);
        }

        Assert.Equal(3, (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/grants")).GetArrayLength());
        var entries = (await AuditTestServer.EntriesAfterAsync(_server.Server.Services, after)).Where(e => e.Action.StartsWith("grant.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["grant.create success", "grant.create success", "grant.create success", "grant.create success", "grant.create failed", "grant.delete success", "grant.delete failed"],
            entries.Select(e => $"{e.Action} {e.Outcome}"));
        Assert.Equal($"grants/{ids[0]}", entries[0].Resource);
        Assert.Contains("\"collection\":\"/orgs/acme\"", entries[0].Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("robot", "alice", "view-only", "/orgs/acme", "subjectKind")]
    [InlineData("user", "nobody", "view-only", "/orgs/acme", "subject")]
    [InlineData("team", "acme", "view-only", "/orgs/acme", "subject")]
    [InlineData("team", "acme/nope", "view-only", "/orgs/acme", "subject")]
    [InlineData("service-account", "other/ci", "view-only", "/orgs/acme", "subject")]
    [InlineData("user", "alice", "god-mode", "/orgs/acme", "role")]
    [InlineData("user", "alice", "view-only", "orgs/acme", "collection")]
    [InlineData("user", "alice", "view-only", "/orgs/../etc", "collection")]
    [InlineData("user", "alice", "view-only", "/orgs//acme", "collection")]
    public async Task Create_BadSubjectRoleOrCollection_400NamesTheField(string subjectKind, string subject, string role, string collection, string field)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind, subject, role, collection });

        await ProblemAssert.InvalidAsync(field, response);
        Assert.Equal(0, (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/grants")).GetArrayLength());
    }

    [Fact]
    public async Task Grants_NonAdministrator_Refused403_DenialAudited()
    {
        var alice = await _server.ClientForAsync(await _server.UserIdAsync("alice"));
        var after = await LastAuditIdAsync();

        using (var create = await alice.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = "alice", role = "full-control", collection = "/" }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, create);
        }

        using (var list = await alice.GetAsync("/api/v1/grants"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, list);
        }

        var denied = Assert.Single(await AuditTestServer.EntriesAfterAsync(_server.Server.Services, after), e => e.Action.StartsWith("grant.", StringComparison.Ordinal));
        Assert.Equal(("grant.create", "denied", "alice"), (denied.Action, denied.Outcome, denied.ActorName));
        Assert.Equal(0, (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/grants")).GetArrayLength());
    }

    private async Task<long> LastAuditIdAsync() =>
        (await AuditTestServer.EntriesAfterAsync(_server.Server.Services, 0)).Select(e => e.Id).DefaultIfEmpty(0).Max();
}
