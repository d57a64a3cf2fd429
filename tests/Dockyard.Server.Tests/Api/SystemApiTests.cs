using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Data;
using Dockyard.Server.Observability;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Api;

public sealed class SystemApiTests
{
    [Fact]
    public async Task RunGc_AsAdministrator_ReturnsCountsAndRecordsOneEntryOfWhoAskedAndWhatRan()
    {
        await using var server = await ApiTestServer.StartAsync();
        var admin = await server.AdminAsync();

        using var response = await admin.PostAsJsonAsync("/api/v1/system/gc", new { dryRun = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(0, body.RootElement.GetProperty("blobsDeleted").GetInt32());
        Assert.Equal(0, body.RootElement.GetProperty("reclaimedBytes").GetInt64());
        await using var db = await server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("system.gc")).OrderBy(e => e.Id).ToListAsync();
        var entry = Assert.Single(entries);
        Assert.Equal("system.gc", entry.Action);
        Assert.Equal("admin", entry.ActorName);
        Assert.Contains("\"dryRun\":true", entry.Details, StringComparison.Ordinal);
        Assert.Contains("\"blobsDeleted\":0", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunGc_WhileAnotherRuns_Returns409()
    {
        await using var server = await ApiTestServer.StartAsync();
        var admin = await server.AdminAsync();
        await using var held = await server.Get<IGarbageCollectionLease>().TryAcquireAsync(CancellationToken.None);

        using var response = await admin.PostAsync("/api/v1/system/gc", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetSystem_AsAdministrator_DescribesTheRunningServer_OthersAre403_Anonymous401()
    {
        await using var server = await ApiTestServer.StartAsync();
        var admin = await server.AdminAsync();
        var (_, user) = await server.UserAsync("plain");

        using var response = await admin.GetAsync("/api/v1/system");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal(BuildInfo.Current.Version, root.GetProperty("version").GetString());
        Assert.Equal(BuildInfo.Current.Commit, root.GetProperty("commit").GetString());
        var startedAt = root.GetProperty("startedAt").GetDateTimeOffset();
        Assert.InRange(startedAt, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow);
        Assert.True(root.GetProperty("uptimeSeconds").GetInt64() >= 0);
        Assert.Equal("sqlite", root.GetProperty("databaseProvider").GetString());
        Assert.Equal("filesystem", root.GetProperty("storageDriver").GetString());
        var status = await server.Get<DatabaseMigrator>().GetStatusAsync(CancellationToken.None);
        Assert.Equal(status.Applied[^1], root.GetProperty("schemaVersion").GetString());

        using var forbidden = await user.GetAsync("/api/v1/system");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        using var anonymous = await server.Anonymous().GetAsync("/api/v1/system");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var openApi = await admin.GetAsync("/api/v1/openapi.json");
        using var document = JsonDocument.Parse(await openApi.Content.ReadAsStringAsync());
        Assert.Equal("GetSystem", document.RootElement.GetProperty("paths").GetProperty("/api/v1/system").GetProperty("get").GetProperty("operationId").GetString());
    }
    [Fact]
    public async Task GetSystem_AsAdministrator_ReportsHealthJobsLeasesAndConfiguration_WithSecretsMasked()
    {
        const string secret = "api-Secret-Value-5150";
        await using var server = await ApiTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Dockyard:Ldap:BindPassword"] = secret,
            ["Dockyard:Health:MinFreeBytes"] = "2048",
        });
        var admin = await server.AdminAsync();
        using (var gc = await admin.PostAsJsonAsync("/api/v1/system/gc", new { dryRun = true }))
        {
            Assert.Equal(HttpStatusCode.OK, gc.StatusCode);
        }

        using var response = await admin.GetAsync("/api/v1/system");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(text);
        var root = body.RootElement;
        Assert.True(root.GetProperty("ready").GetBoolean());
        var database = root.GetProperty("health").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
        Assert.True(database.GetProperty("ok").GetBoolean());
        Assert.Empty(root.GetProperty("pendingMigrations").EnumerateArray());
        Assert.Equal(root.GetProperty("schemaVersion").GetString(), root.GetProperty("latestMigration").GetString());
        Assert.Equal("process", root.GetProperty("coordination").GetProperty("lockMode").GetString());

        var jobs = root.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("name").GetString()!);
        Assert.Equal("success", jobs["Garbage collection"].GetProperty("outcome").GetString());
        Assert.Equal("audit: system.gc", jobs["Garbage collection"].GetProperty("recordedBy").GetString());
        Assert.Equal("by admin", jobs["Garbage collection"].GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, jobs["Upload purge"].GetProperty("recordedBy").ValueKind);
        Assert.Equal(JsonValueKind.Null, jobs["Upload purge"].GetProperty("lastRunAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, jobs["Retention"].GetProperty("lastRunAt").ValueKind);

        var settings = root.GetProperty("configuration").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!);
        Assert.Equal("********", settings["Dockyard:Ldap:BindPassword"].GetProperty("value").GetString());
        Assert.True(settings["Dockyard:Ldap:BindPassword"].GetProperty("masked").GetBoolean());
        Assert.Equal("2048", settings["Dockyard:Health:MinFreeBytes"].GetProperty("value").GetString());
        Assert.False(settings["Dockyard:Health:MinFreeBytes"].GetProperty("masked").GetBoolean());
    }
}
