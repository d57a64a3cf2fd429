using System.Net;
using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Api;

namespace Dockyard.Server.Tests.Audit;

/// <summary><c>GET /api/v1/audit/{id}</c> and the list's <c>hideSignIns</c> filter, each within the caller's scope.</summary>
public sealed class AuditEntryApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetEntryAndHideSignIns_AdministratorAndOrganizationOwner_SeeOnlyTheirScope()
    {
        await using var server = await ApiTestServer.StartAsync();
        await AuditTestServer.ClearAsync(server.Server.Services);
        var acmePush = AuditChainTests.Entry(Start, userAgent: "docker/27.1 (acme)", repository: "acme/app");
        var globexPush = AuditChainTests.Entry(Start.AddMinutes(1), repository: "globex/app");
        var signIn = SignIn(Start.AddMinutes(2), AuditActions.LoginSuccess, AuditOutcomes.Success);
        var token = SignIn(Start.AddMinutes(3), AuditActions.TokenIssue, AuditOutcomes.Success);
        var failedSignIn = SignIn(Start.AddMinutes(4), AuditActions.LoginFailure, AuditOutcomes.Failed);
        await server.Get<AuditWriter>().AppendAsync([acmePush, globexPush, signIn, token, failedSignIn], CancellationToken.None);
        var admin = await server.AdminAsync();

        var all = await ListAsync(admin, $"to={Uri.EscapeDataString(Start.AddMinutes(5).ToString("O"))}");
        var quiet = await ListAsync(admin, $"hideSignIns=true&to={Uri.EscapeDataString(Start.AddMinutes(5).ToString("O"))}");

        Assert.Equal(5, all.Count);
        Assert.Equal([AuditActions.ManifestPush, AuditActions.ManifestPush, AuditActions.LoginFailure], quiet.Select(e => e.Action));
        var acmeId = Assert.Single(all, e => e.Repository == "acme/app").Id;
        var globexId = Assert.Single(all, e => e.Repository == "globex/app").Id;

        using (var response = await admin.GetAsync($"/api/v1/audit/{acmeId}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var entry = JsonSerializer.Deserialize<AuditEntryResponse>(await response.Content.ReadAsStringAsync(), AuditEntryResponse.JsonOptions)!;
            Assert.Equal(acmePush.RequestId, entry.RequestId);
            Assert.Equal("docker/27.1 (acme)", entry.UserAgent);
            Assert.Equal(64, entry.Hash.Length);
        }

        using (var missing = await admin.GetAsync("/api/v1/audit/987654"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }

        var (carolId, carol) = await server.UserAsync("carol");
        await server.CreateOrganizationAsync("acme", carolId);
        using (var own = await carol.GetAsync($"/api/v1/audit/{acmeId}"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        using (var other = await carol.GetAsync($"/api/v1/audit/{globexId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        var (_, dave) = await server.UserAsync("dave");
        using var refused = await dave.GetAsync($"/api/v1/audit/{acmeId}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static AuditEntryEntity SignIn(DateTimeOffset time, string action, string outcome)
    {
        var entry = AuditChainTests.Entry(time);
        entry.Action = action;
        entry.Outcome = outcome;
        entry.Repository = null;
        entry.Reference = null;
        entry.Digest = null;
        entry.Organization = null;
        return entry;
    }

    private static async Task<List<AuditEntryResponse>> ListAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/api/v1/audit?limit=1000&{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.Deserialize<AuditEntryResponse>(AuditEntryResponse.JsonOptions)!)];
    }
}
