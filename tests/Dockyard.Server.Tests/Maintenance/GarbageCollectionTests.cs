using System.Net;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>Garbage collection through the whole app (HTTP pushes, SQLite index, filesystem storage).</summary>
public sealed class GarbageCollectionTests
{
    private static readonly GarbageCollectionRequest NoGrace = new() { Grace = TimeSpan.Zero };

    [Fact]
    public async Task Collect_DeletedManifest_DeletesItsUnsharedBlobsKeepsSharedOnesAndReclaimsExactBytes()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var shared = MaintenanceTestClient.Unique("shared layer");
        var doomed = await client.PushImageAsync("gc/a", "v1", MaintenanceTestClient.Unique("config a"), shared);
        var kept = await client.PushImageAsync("gc/b", "v1", MaintenanceTestClient.Unique("config b"), shared);
        await client.DeleteManifestAsync("gc/a", doomed.Digest);

        var result = await client.CollectAsync(NoGrace);

        Assert.Equal(2, result.BlobsDeleted);
        Assert.Equal(doomed.ConfigSize + doomed.Size, result.ReclaimedBytes);
        Assert.False(File.Exists(client.BlobFile(doomed.ConfigDigest)));
        Assert.False(File.Exists(client.BlobFile(doomed.Digest)));
        Assert.True(File.Exists(client.BlobFile(doomed.LayerDigest)));
        Assert.Equal(HttpStatusCode.NotFound, await client.Registry.StatusOfAsync(HttpMethod.Head, $"/v2/gc/a/blobs/{doomed.LayerDigest}"));
        await client.PullCompletelyAsync("gc/b", "v1");
        Assert.Equal(kept.LayerDigest, doomed.LayerDigest);
        await client.FsckAsync();

        var again = await client.CollectAsync(NoGrace);
        Assert.Equal((0, 0L), (again.BlobsDeleted, again.ReclaimedBytes));
    }

    [Fact]
    public async Task Collect_UnreferencedUpload_KeptWithinGraceDeletedAfter()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var orphan = MaintenanceTestClient.Unique("orphan upload");
        var digest = await client.Registry.PushBlobAsync("gc/grace", orphan);

        time.Advance(TimeSpan.FromMinutes(59));
        var early = await client.CollectAsync(new GarbageCollectionRequest());
        Assert.Equal((0, 0), (early.BlobsDeleted, early.LinksDeleted));
        Assert.True(File.Exists(client.BlobFile(digest)));

        time.Advance(TimeSpan.FromMinutes(2));
        var late = await client.CollectAsync(new GarbageCollectionRequest());
        Assert.Equal((1, 1, (long)orphan.Length), (late.BlobsDeleted, late.LinksDeleted, late.ReclaimedBytes));
        Assert.False(File.Exists(client.BlobFile(digest)));
        Assert.Equal(HttpStatusCode.NotFound, await client.Registry.StatusOfAsync(HttpMethod.Head, $"/v2/gc/grace/blobs/{digest}"));
        await client.FsckAsync();
    }

    /// <summary>
    /// A dry run reports item for item what the real run then deletes on the same data, first without and then with
    /// untagged-manifest deletion, where the real run deletes in passes (an untagged index frees its untagged child, a
    /// deleted subject frees its referrers, transitively) and then the links and blobs only those manifests held.
    /// </summary>
    [Fact]
    public async Task Collect_DryRun_ReportsExactlyWhatTheRealRunDeletesAndDeletesNothing()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        await DryRunReportsWhatTheRealRunDeletesAsync(server, time);
    }

    /// <summary>The scenario of <see cref="Collect_DryRun_ReportsExactlyWhatTheRealRunDeletesAndDeletesNothing"/>, on any database.</summary>
    internal static async Task DryRunReportsWhatTheRealRunDeletesAsync(InProcessDockyard server, FakeTimeProvider time)
    {
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var doomed = await client.PushImageAsync("gc/dry", "v1", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
        await client.PushImageAsync("gc/dry", "v2", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
        await client.DeleteManifestAsync("gc/dry", doomed.Digest);

        // Untagged manifests, four passes deep: untagged (1) ← orphanReferrer (2); index (1) → child (2) ← childReferrer (3).
        // The child shares its layer with a tagged image (link and blob stay); the untagged image shares its layer with
        // another repository (the link goes, the blob stays).
        const string repository = "gc/dry-untagged";
        var shared = MaintenanceTestClient.Unique("shared layer");
        var crossRepository = MaintenanceTestClient.Unique("cross-repository layer");
        var untagged = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c1"), crossRepository);
        await client.PushImageAsync("gc/dry-other", "keep", MaintenanceTestClient.Unique("c0"), crossRepository);
        var orphanReferrer = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c2"), MaintenanceTestClient.Unique("sig2"), (untagged.Digest, untagged.Size));
        var child = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c3"), shared);
        var index = await client.PushIndexAsync(repository, null, child);
        var childReferrer = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c4"), MaintenanceTestClient.Unique("sig4"), (child.Digest, child.Size));
        var tagged = await client.PushImageAsync(repository, "keep", MaintenanceTestClient.Unique("c5"), shared);
        var liveReferrer = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c6"), MaintenanceTestClient.Unique("sig6"), (tagged.Digest, tagged.Size));
        var keptChild = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c7"), MaintenanceTestClient.Unique("l7"));
        await client.PushIndexAsync(repository, "multi", keptChild);
        time.Advance(TimeSpan.FromDays(2));

        var dryItems = new List<CollectedItem>();
        var dry = await client.CollectAsync(new GarbageCollectionRequest { DryRun = true, OnCollected = dryItems.Add });

        Assert.True(dry.DryRun);
        Assert.Equal((3, doomed.TotalBytes), (dry.BlobsDeleted, dry.ReclaimedBytes));
        Assert.Equal(
            new[] { doomed.ConfigDigest, doomed.Digest, doomed.LayerDigest }.Order(StringComparer.Ordinal),
            dryItems.Where(i => i.Kind == CollectedKind.Blob).Select(i => i.Digest.Value).Order(StringComparer.Ordinal));
        // Deleted nothing (checked on disk: a blob HEAD or GET would refresh what it finds and change the real run).
        Assert.True(File.Exists(client.BlobFile(doomed.LayerDigest)));
        await AssertSameAsRealRunAsync(client, new GarbageCollectionRequest(), dry, dryItems);

        var dryUntaggedItems = new List<CollectedItem>();
        var dryUntagged = await client.CollectAsync(new GarbageCollectionRequest { DryRun = true, DeleteUntaggedManifests = true, OnCollected = dryUntaggedItems.Add });

        Assert.Equal(
            new[] { untagged.Digest, orphanReferrer.Digest, child.Digest, index.Digest, childReferrer.Digest }.Order(StringComparer.Ordinal),
            dryUntaggedItems.Where(i => i.Kind == CollectedKind.Manifest).Select(i => i.Digest.Value).Order(StringComparer.Ordinal));
        Assert.Contains(dryUntaggedItems, i => i.Kind == CollectedKind.Link && i.Repository?.Value == repository && i.Digest.Value == untagged.LayerDigest);
        Assert.DoesNotContain(dryUntaggedItems, i => i.Digest.Value == untagged.LayerDigest && i.Kind == CollectedKind.Blob);
        Assert.DoesNotContain(dryUntaggedItems, i => i.Digest.Value == child.LayerDigest);
        Assert.Equal(
            untagged.TotalBytes - untagged.LayerSize + orphanReferrer.TotalBytes + child.TotalBytes - child.LayerSize + index.Size + childReferrer.TotalBytes,
            dryUntagged.ReclaimedBytes);
        Assert.Equal(HttpStatusCode.OK, await client.Registry.StatusOfAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{untagged.Digest}"));
        Assert.True(File.Exists(client.BlobFile(untagged.ConfigDigest)));
        await AssertSameAsRealRunAsync(client, new GarbageCollectionRequest { DeleteUntaggedManifests = true }, dryUntagged, dryUntaggedItems);

        await client.PullCompletelyAsync("gc/dry", "v2");
        await client.PullCompletelyAsync(repository, "keep");
        await client.PullCompletelyAsync(repository, liveReferrer.Digest);
        await client.PullCompletelyAsync(repository, keptChild.Digest);
        await client.PullCompletelyAsync("gc/dry-other", "keep");
        await client.FsckAsync();
    }

    [Fact]
    public async Task Collect_UntaggedManifests_KeptByDefault_PolicyDeletesThemAndReferrersOfDeletedSubjects_KeepsIndexChildrenAndLiveSubjectsReferrers()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        const string repository = "gc/untagged";
        var untagged = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c1"), MaintenanceTestClient.Unique("l1"));
        var tagged = await client.PushImageAsync(repository, "keep", MaintenanceTestClient.Unique("c2"), MaintenanceTestClient.Unique("l2"));
        var child = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c3"), MaintenanceTestClient.Unique("l3"));
        await client.PushIndexAsync(repository, "multi", child);
        var liveReferrer = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c4"), MaintenanceTestClient.Unique("sig4"), (tagged.Digest, tagged.Size));
        var orphanReferrer = await client.PushImageAsync(repository, null, MaintenanceTestClient.Unique("c5"), MaintenanceTestClient.Unique("sig5"), (untagged.Digest, untagged.Size));
        time.Advance(TimeSpan.FromDays(2));

        var byDefault = await client.CollectAsync(new GarbageCollectionRequest());
        Assert.Equal((0, 0), (byDefault.ManifestsDeleted, byDefault.BlobsDeleted));

        var withPolicy = await client.CollectAsync(new GarbageCollectionRequest { DeleteUntaggedManifests = true });

        Assert.Equal(2, withPolicy.ManifestsDeleted);
        Assert.Equal(6, withPolicy.BlobsDeleted);
        Assert.Equal(untagged.TotalBytes + orphanReferrer.TotalBytes, withPolicy.ReclaimedBytes);
        Assert.Equal(HttpStatusCode.NotFound, await client.Registry.StatusOfAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{untagged.Digest}"));
        Assert.Equal(HttpStatusCode.NotFound, await client.Registry.StatusOfAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{orphanReferrer.Digest}"));
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "storage", "repositories", "gc", "untagged", "_manifests", "sha256", untagged.Digest["sha256:".Length..])));
        await client.PullCompletelyAsync(repository, "keep");
        await client.PullCompletelyAsync(repository, child.Digest);
        await client.PullCompletelyAsync(repository, liveReferrer.Digest);
        await client.FsckAsync();
    }

    [Fact]
    public async Task Collect_OneAtATime_SecondConcurrentRunIsRefused()
    {
        await using var server = await InProcessDockyard.StartAsync();
        var lease = server.GetRequiredService<IGarbageCollectionLease>();
        await using (var held = await lease.TryAcquireAsync(CancellationToken.None))
        {
            Assert.NotNull(held);
            Assert.Null(await server.GetRequiredService<GarbageCollector>().TryRunAsync(NoGrace, CancellationToken.None));
        }

        Assert.NotNull(await server.GetRequiredService<GarbageCollector>().TryRunAsync(NoGrace, CancellationToken.None));
    }

    [Fact]
    public async Task Collect_RecordsAuditEntryAndMetrics()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var orphan = MaintenanceTestClient.Unique("orphan");
        await client.Registry.PushBlobAsync("gc/audit", orphan);

        await client.CollectAsync(NoGrace);

        var contexts = server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var entry = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "system.gc").SingleAsync();
        Assert.Equal("success", entry.Outcome);
        Assert.Contains($"\"reclaimedBytes\":{orphan.Length}", entry.Details, StringComparison.Ordinal);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains($"dockyard_gc_last_reclaimed_bytes {orphan.Length}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_AfterInitialDelay_CollectsAndRecordsASystemRun()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await InProcessDockyard.StartAsync(
            configure: b => b.Services.AddSingleton<TimeProvider>(time),
            settings: new Dictionary<string, string?> { ["Dockyard:GarbageCollection:Enabled"] = "true", ["Dockyard:GarbageCollection:InitialDelay"] = "00:10:00", ["Dockyard:GarbageCollection:Grace"] = "00:05:00" });
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var digest = await client.Registry.PushBlobAsync("gc/scheduled", MaintenanceTestClient.Unique("orphan"));

        time.Advance(TimeSpan.FromMinutes(10));

        var contexts = server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Data.Entities.AuditEntryEntity? entry = null;
        while (entry is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            await using var db = await contexts.CreateDbContextAsync();
            entry = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "system.gc").SingleOrDefaultAsync();
        }

        Assert.NotNull(entry);
        Assert.False(File.Exists(client.BlobFile(digest)));
        Assert.Equal("system", entry.ActorKind);
    }

    /// <summary>Runs <paramref name="request"/> for real and asserts it deletes exactly what the dry run reported.</summary>
    private static async Task AssertSameAsRealRunAsync(MaintenanceTestClient client, GarbageCollectionRequest request, GarbageCollectionResult dry, List<CollectedItem> dryItems)
    {
        var realItems = new List<CollectedItem>();
        var real = await client.CollectAsync(request with { OnCollected = realItems.Add });

        Assert.False(real.DryRun);
        Assert.Equal(Describe(dryItems), Describe(realItems));
        Assert.Equal(
            (dry.ManifestsDeleted, dry.LinksDeleted, dry.BlobsDeleted, dry.ReclaimedBytes),
            (real.ManifestsDeleted, real.LinksDeleted, real.BlobsDeleted, real.ReclaimedBytes));
    }

    private static List<string> Describe(IEnumerable<CollectedItem> items) =>
        [.. items.Select(i => $"{i.Kind} {i.Repository?.Value} {i.Digest} {i.Size}").Order(StringComparer.Ordinal)];
}
