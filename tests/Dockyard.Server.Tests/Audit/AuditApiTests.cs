using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Tests.Api;

namespace Dockyard.Server.Tests.Audit;

/// <summary>/api/v1/audit: who sees what, filters, keyset pages, export and verify over HTTP.</summary>
public sealed class AuditApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private ApiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();

        // Ids 1–30 are the entries below: drop what the first start recorded (the bootstrap administrator).
        await AuditTestServer.ClearAsync(_server.Server.Services);
        await _server.Get<AuditWriter>().AppendAsync(
            [.. Enumerable.Range(0, 30).Select(i => AuditChainTests.Entry(Start.AddMinutes(i), repository: i % 3 == 0 ? "acme/app" : i % 3 == 1 ? "globex/app" : "acme/tools"))],
            CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task List_OrganizationOwner_SeesOnlyTheirOrganization()
    {
        var (carolId, carol) = await _server.UserAsync("carol");
        await _server.CreateOrganizationAsync("acme", carolId);
        var entries = await ListAsync(carol, "limit=1000");

        // The 20 seeded entries of acme's repositories, and the organization's creation (recorded by OrganizationService).
        Assert.Equal(21, entries.Count);
        Assert.All(entries, e => Assert.Equal("acme", e.Organization));
        Assert.Equal("orgs/acme", Assert.Single(entries, e => e.Action == "org.create").Resource);
    }

    [Fact]
    public async Task List_PlainUserOrMember_Forbidden()
    {
        var (ownerId, _) = await _server.UserAsync("owner");
        var organization = await _server.CreateOrganizationAsync("acme", ownerId);
        var (_, dave) = await _server.UserAsync("dave");
        await _server.AddMemberAsync(organization, "dave");
        using var response = await dave.GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var anonymous = await _server.Anonymous().GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task List_AdminWithFiltersAndKeysetPages_WalksEverything()
    {
        var admin = await _server.AdminAsync();
        var ids = new List<long>();
        string query = "repository=globex/app&action=registry.*&outcome=success&limit=4";
        long? after = null;
        do
        {
            using var response = await admin.GetAsync($"/api/v1/audit?{query}" + (after is null ? string.Empty : $"&after={after}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ids.AddRange(document.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            after = document.RootElement.GetProperty("nextAfter").ValueKind == JsonValueKind.Null ? null : document.RootElement.GetProperty("nextAfter").GetInt64();
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 == 1).Select(i => (long)i + 1), ids);

        var timed = await ListAsync(admin, $"from={Uri.EscapeDataString(Start.AddMinutes(10).ToString("O"))}&to={Uri.EscapeDataString(Start.AddMinutes(20).ToString("O"))}&actor=alice&limit=1000");
        Assert.Equal(10, timed.Count);
        using var tooMany = await admin.GetAsync("/api/v1/audit?limit=1001");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }

    [Fact]
    public async Task Export_OwnerCsv_ScopedAndItselfAudited()
    {
        var (carolId, carol) = await _server.UserAsync("carol");
        await _server.CreateOrganizationAsync("globex", carolId);
        using var response = await carol.GetAsync("/api/v1/audit/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12, lines.Length);
        Assert.Single(lines, l => l.Contains(",org.create,", StringComparison.Ordinal));
        Assert.All(lines.Skip(1).Where(l => !l.Contains(",org.create,", StringComparison.Ordinal)), l => Assert.Contains(",globex/app,", l, StringComparison.Ordinal));

        var admin = await _server.AdminAsync();
        var exports = await ListAsync(admin, "action=audit.export");
        Assert.Equal("carol", Assert.Single(exports).ActorName);
    }

    [Fact]
    public async Task Verify_AdminOk_OthersForbidden()
    {
        var admin = await _server.AdminAsync();
        var result = await admin.GetFromJsonAsync<AuditVerification>("/api/v1/audit/verify", AuditEntryResponse.JsonOptions);
        Assert.True(result!.Ok);
        Assert.True(result.Checked >= 30);

        var (carolId, carol) = await _server.UserAsync("carol");
        await _server.CreateOrganizationAsync("acme", carolId);
        using var response = await carol.GetAsync("/api/v1/audit/verify");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<List<AuditEntryResponse>> ListAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/api/v1/audit?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.Deserialize<AuditEntryResponse>(AuditEntryResponse.JsonOptions)!)];
    }
}
