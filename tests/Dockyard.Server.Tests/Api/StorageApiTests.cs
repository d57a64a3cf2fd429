using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Api;

/// <summary>
/// <c>GET /api/v1/storage</c>, <c>GET /api/v1/orgs/{org}/storage</c>, <c>GET /api/v1/system/gc/runs</c> and the
/// run-time garbage collection schedule (<c>/api/v1/system/gc/schedule</c>): figures, who may read or change them
/// (401/403/404 as ProblemDetails), the audit of changes, and the scheduler following an override.
/// </summary>
public sealed class StorageApiTests
{
    [Fact]
    public async Task Storage_AdminsSeeAllNamespacesAndRepositoriesLargestFirst_MembersTheirOrganization_OthersRefused()
    {
        await using var server = await ApiTestServer.StartAsync();
        var admin = await server.AdminAsync();
        var (ownerId, owner) = await server.UserAsync("owner");
        var (_, outsider) = await server.UserAsync("outsider");
        await server.CreateOrganizationAsync("acme", ownerId);
        await server.CreateRepositoryAsync("acme/app");
        await server.CreateRepositoryAsync("acme/web");
        await server.CreateRepositoryAsync("tools/ci");
        await using (var db = await server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            db.BlobLinks.AddRange(
                new BlobLinkEntity { Repository = "acme/app", Digest = Digest('a'), Size = 300, CreatedAt = now },
                new BlobLinkEntity { Repository = "acme/web", Digest = Digest('a'), Size = 300, CreatedAt = now },
                new BlobLinkEntity { Repository = "acme/web", Digest = Digest('b'), Size = 500, CreatedAt = now },
                new BlobLinkEntity { Repository = "tools/ci", Digest = Digest('c'), Size = 70, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        var all = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.GetAsync("/api/v1/storage"));
        var namespaces = all.GetProperty("namespaces").EnumerateArray().ToList();
        Assert.Equal(["acme", "tools"], namespaces.Select(n => n.GetProperty("namespace").GetString()));
        Assert.Equal(800, namespaces[0].GetProperty("usedBytes").GetInt64()); // the shared layer counts once
        Assert.True(namespaces[0].GetProperty("organization").GetBoolean());
        Assert.False(namespaces[1].GetProperty("organization").GetBoolean());
        Assert.Equal(["acme/web", "acme/app", "tools/ci"], all.GetProperty("topRepositories").EnumerateArray().Select(r => r.GetProperty("repository").GetString()));
        Assert.Equal(800, all.GetProperty("topRepositories")[0].GetProperty("bytes").GetInt64());

        var org = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await owner.GetAsync("/api/v1/orgs/acme/storage"));
        Assert.Equal(800, org.GetProperty("usedBytes").GetInt64());
        Assert.Equal(["acme/web", "acme/app"], org.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("repository").GetString()));

        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await outsider.GetAsync("/api/v1/storage"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await outsider.GetAsync("/api/v1/orgs/acme/storage"));
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, await server.Anonymous().GetAsync("/api/v1/storage"));
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, await server.Anonymous().GetAsync("/api/v1/orgs/acme/storage"));
    }

    [Fact]
    public async Task GcRunsAndSchedule_AdminsReadAndChange_AuditedAndValidated_OthersRefused()
    {
        await using var server = await ApiTestServer.StartAsync();
        var admin = await server.AdminAsync();
        var (_, user) = await server.UserAsync("plain");

        await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.PostAsJsonAsync("/api/v1/system/gc", new { dryRun = true }));
        var runs = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.GetAsync("/api/v1/system/gc/runs"));
        var run = Assert.Single(runs.EnumerateArray());
        Assert.True(run.GetProperty("dryRun").GetBoolean());
        Assert.Equal("admin", run.GetProperty("actor").GetString());
        Assert.Equal("success", run.GetProperty("outcome").GetString());
        Assert.Equal(0, run.GetProperty("reclaimedBytes").GetInt64());

        var schedule = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.GetAsync("/api/v1/system/gc/schedule"));
        Assert.False(schedule.GetProperty("enabled").GetBoolean()); // the test servers turn the schedule off
        Assert.False(schedule.GetProperty("overridden").GetBoolean());

        await ProblemAssert.InvalidAsync("interval", await admin.PutAsJsonAsync("/api/v1/system/gc/schedule", new { enabled = true, interval = "5m" }));
        await ProblemAssert.InvalidAsync("interval", await admin.PutAsJsonAsync("/api/v1/system/gc/schedule", new { enabled = true, interval = "often" }));
        var changed = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.PutAsJsonAsync("/api/v1/system/gc/schedule", new { enabled = true, interval = "12h" }));
        Assert.True(changed.GetProperty("enabled").GetBoolean());
        Assert.Equal("12h", changed.GetProperty("interval").GetString());
        Assert.Equal(43200, changed.GetProperty("intervalSeconds").GetInt64());
        Assert.True(changed.GetProperty("overridden").GetBoolean());
        Assert.Equal("admin", changed.GetProperty("updatedBy").GetString());
        Assert.False(changed.GetProperty("configuredEnabled").GetBoolean());

        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await user.PutAsJsonAsync("/api/v1/system/gc/schedule", new { enabled = false }));
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, await server.Anonymous().PutAsJsonAsync("/api/v1/system/gc/schedule", new { enabled = false }));
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await user.GetAsync("/api/v1/system/gc/schedule"));
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await user.GetAsync("/api/v1/system/gc/runs"));
        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, await server.Anonymous().GetAsync("/api/v1/system/gc/runs"));
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await user.DeleteAsync("/api/v1/system/gc/schedule"));
        Assert.True((await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.GetAsync("/api/v1/system/gc/schedule"))).GetProperty("enabled").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/system/gc/schedule")).StatusCode);
        Assert.False((await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.GetAsync("/api/v1/system/gc/schedule"))).GetProperty("overridden").GetBoolean());

        await using var db = await server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("settings.gc.")).OrderBy(e => e.Id).Select(e => new { e.Action, e.Outcome, e.ActorName, e.Details }).ToListAsync();
        Assert.Equal(
            ["settings.gc.update failed admin", "settings.gc.update failed admin", "settings.gc.update success admin", "settings.gc.update denied plain", "settings.gc.update denied anonymous", "settings.gc.reset denied plain", "settings.gc.reset success admin"],
            entries.Select(e => $"{e.Action} {e.Outcome} {e.ActorName}"));
        Assert.Contains("\"interval\":\"12h\"", entries[2].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_OverrideEnablesCollection_TheServerRunsItAfterTheInitialDelay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ApiTestServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var admin = await server.AdminAsync();

        await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.PutAsJsonAsync("/api/v1/system/gc/schedule", new { enabled = true, interval = "1h" }));
        time.Advance(TimeSpan.FromMinutes(15)); // the default initial delay

        var contexts = server.Get<IDbContextFactory<DockyardDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        AuditEntryEntity? entry = null;
        while (entry is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            await using var db = await contexts.CreateDbContextAsync();
            entry = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "system.gc").SingleOrDefaultAsync();
        }

        Assert.NotNull(entry);
        Assert.Equal("system", entry.ActorKind);
    }

    private static string Digest(char c) => "sha256:" + new string(c, 64);
}
