using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Audit;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// The registry ↔ runtime link protects content: retention keeps a tag whose image runs on the worker and says why;
/// garbage collection keeps an untagged manifest a container runs (and its blobs) while it deletes an unused one; with an
/// engine that cannot be asked, garbage collection deletes no untagged manifest and warns.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class RuntimeProtectionTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Retention_and_gc_keep_what_runs()
    {
        var settings = swarm.EngineSettings();
        settings["Dockyard:GarbageCollection:Enabled"] = "false";
        settings["Dockyard:GarbageCollection:Grace"] = "00:00:00";
        settings["Dockyard:GarbageCollection:UntaggedMinimumAge"] = "00:00:00";
        await using var server = await ApiTestServer.StartAsync(settings);
        var admin = await server.AdminAsync();
        var organization = "rp" + Guid.NewGuid().ToString("N")[..8];
        await server.CreateOrganizationAsync(organization, await server.UserIdAsync(AdminBootstrapper.AdminUsername));
        var repository = organization + "/app";
        var registry = server.Server.BaseAddress.Authority;
        var old = await RegistryImagePusher.PushAsync(swarm, server, repository, "t0");
        var running = await RegistryImagePusher.PushAsync(swarm, server, repository, "t1");
        await RegistryImagePusher.PushAsync(swarm, server, repository, "t2");
        var reference = $"{registry}/{repository}:t1";
        var container = "protect-" + organization;
        try
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.PostAsJsonAsync("/api/v1/images/pull", new { reference, node = SwarmFixture.WorkerEngine }));
            await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", container, reference, "/bin/busybox", "sleep", "300");

            // Retention keeping one tag would delete t0 and t1: t1 runs, so it stays, with the reason.
            await ProblemAssert.StatusAsync(HttpStatusCode.Created, await admin.PutAsJsonAsync($"/api/v1/repositories/{repository}/retention", new { keepLastTags = 1, includeRecent = true }));
            var auditFrom = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, 0)).Select(e => e.Id).DefaultIfEmpty(0).Max();
            var run = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.PostAsync($"/api/v1/repositories/{repository}/retention/run", null));
            var plan = Assert.Single(run.GetProperty("plans").EnumerateArray());
            Assert.Equal([old], plan.GetProperty("deletions").EnumerateArray().Select(d => d.GetProperty("digest").GetString()));
            var kept = plan.GetProperty("kept").EnumerateArray().Single(k => k.GetProperty("reference").GetString() == "t1").GetProperty("reason").GetString();
            Assert.Equal($"in use by container {container} on node {swarm.WorkerNodeId} (engine {SwarmFixture.WorkerEngine})", kept);
            var audited = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, auditFrom)).Single(e => e.Action == "retention.run");
            Assert.Contains($"{repository}:t1 in use by container {container}", audited.Details, StringComparison.Ordinal);
            Assert.True(await ManifestExistsAsync(server, repository, running));
            Assert.False(await ManifestExistsAsync(server, repository, old));

            // Untag both the running manifest and an unused one; GC deletes only the unused one and keeps the running one's blobs.
            await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, await admin.DeleteAsync($"/api/v1/repositories/{repository}/retention"));
            var unused = await RegistryImagePusher.PushAsync(swarm, server, repository, "t3");
            await RegistryImagePusher.PushAsync(swarm, server, repository, "t1");
            await RegistryImagePusher.PushAsync(swarm, server, repository, "t3");
            var gc = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.PostAsJsonAsync("/api/v1/system/gc", new { deleteUntaggedManifests = true }));
            Assert.Empty(gc.GetProperty("warnings").EnumerateArray());
            Assert.True(await ManifestExistsAsync(server, repository, running));
            Assert.Empty(await MissingBlobsAsync(server, repository, running));
            Assert.False(await ManifestExistsAsync(server, repository, unused));

            // An engine that cannot be asked: no untagged manifest is deleted, and the run says why.
            await swarm.Worker.RunDockerAsync("rm", "-f", container);
            var orphan = await RegistryImagePusher.PushAsync(swarm, server, repository, "t4");
            await RegistryImagePusher.PushAsync(swarm, server, repository, "t4");
            var missing = "unix://" + Path.Combine(Path.GetTempPath(), "dockyard-missing-" + organization + ".sock");
            await ProblemAssert.StatusAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/v1/engines", new { name = "gone", endpoint = missing }));
            var blocked = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.PostAsJsonAsync("/api/v1/system/gc", new { deleteUntaggedManifests = true }));
            Assert.Contains("engine gone", Assert.Single(blocked.GetProperty("warnings").EnumerateArray()).GetString(), StringComparison.Ordinal);
            Assert.True(await ManifestExistsAsync(server, repository, orphan));
            Assert.True(await ManifestExistsAsync(server, repository, running));
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", container);
            await swarm.Worker.RunDockerUncheckedAsync("rmi", reference);
        }
    }

    private static async Task<bool> ManifestExistsAsync(ApiTestServer server, string repository, string digest)
    {
        await using var db = await server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return await db.Manifests.AnyAsync(m => m.Repository == repository && m.Digest == digest);
    }

    private static async Task<List<string>> MissingBlobsAsync(ApiTestServer server, string repository, string digest)
    {
        await using var db = await server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var children = await db.ManifestReferences.Where(r => r.Repository == repository && r.ManifestDigest == digest).Select(r => r.ChildDigest).ToListAsync();
        Assert.NotEmpty(children);
        var present = await db.Blobs.Where(b => children.Contains(b.Digest) || b.Digest == digest).Select(b => b.Digest).ToListAsync();
        return [.. children.Append(digest).Except(present)];
    }
}
