using System.Net;
using System.Text;
using Dockyard.Registry;
using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>
/// Each race of the collection protocol, made deterministic by running the collector's steps (find, mark, forget)
/// by hand between a client's requests, on the real SQLite index and filesystem storage.
/// </summary>
public sealed class CollectionRaceTests
{
    [Fact]
    public async Task PutManifest_BlobMarkedAfterItsValidation_FailsInsideTheTransactionAndStoresNothing()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var repository = RepositoryName.Parse("race/put");
        var config = MaintenanceTestClient.Unique("config");
        var layer = MaintenanceTestClient.Unique("layer");
        var configDigest = Digest.Parse(await client.Registry.PushBlobAsync(repository.Value, config));
        var layerDigest = Digest.Parse(await client.Registry.PushBlobAsync(repository.Value, layer));

        // The manifest service has validated both blobs; now a collection marks the layer…
        var now = DateTimeOffset.UtcNow;
        var marked = await server.GetRequiredService<IGarbageCollectionIndex>().MarkBlobsAsync([new BlobCandidate(layerDigest, layer.Length)], now.AddMinutes(1), now.AddMinutes(-5), now, CancellationToken.None);
        Assert.Single(marked);

        // …and the push's transaction refuses it.
        var json = TestManifests.Image(TestManifests.OciManifest, configDigest.Value, config.Length, layerDigest.Value, layer.Length);
        var manifestDigest = Digest.Compute(Encoding.UTF8.GetBytes(json), DigestAlgorithm.Sha256);
        var record = new ManifestRecord { Digest = manifestDigest, MediaType = TestManifests.OciManifest, Size = json.Length, CreatedAt = now };
        var index = server.GetRequiredService<IRegistryIndex>();
        var missing = await index.PutManifestAsync(repository, record, [configDigest, layerDigest], "v1", verifyReferences: true, beforeCommit: null, CancellationToken.None);

        Assert.Equal([layerDigest], missing);
        Assert.Null(await index.GetManifestAsync(repository, manifestDigest, CancellationToken.None));
        Assert.Null(await index.ResolveTagAsync(repository, "v1", CancellationToken.None));
        using var viaHttp = await client.Registry.PutManifestAsync(repository.Value, "v1", json, TestManifests.OciManifest);
        await RegistryTestClient.AssertErrorAsync(viaHttp, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Mark_BlobReferencedByAManifestPushedDuringTheCollection_IsSkipped()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var gc = server.GetRequiredService<IGarbageCollectionIndex>();
        var config = MaintenanceTestClient.Unique("config");
        var layer = MaintenanceTestClient.Unique("layer");
        await client.Registry.PushBlobAsync("race/mark", config);
        await client.Registry.PushBlobAsync("race/mark", layer);
        time.Advance(TimeSpan.FromHours(2));
        var seenBefore = time.GetUtcNow() - TimeSpan.FromHours(1);
        var candidates = await gc.FindUnreferencedBlobsAsync(seenBefore, seenBefore, null, 100, CancellationToken.None);
        Assert.Equal(2, candidates.Count);

        await client.PushImageAsync("race/mark", "v1", config, layer);
        var marked = await gc.MarkBlobsAsync(candidates, seenBefore, seenBefore, time.GetUtcNow(), CancellationToken.None);

        Assert.Empty(marked);
        await client.PullCompletelyAsync("race/mark", "v1");
        await client.FsckAsync();
    }

    [Fact]
    public async Task Upload_OfContentACollectionIsDeleting_WaitsUntilItIsForgottenThenStoresTheBytes()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var gc = server.GetRequiredService<IGarbageCollectionIndex>();
        var content = MaintenanceTestClient.Unique("contended");
        var digest = Digest.Parse(await client.Registry.PushBlobAsync("race/upload-a", content));
        var mark = DateTimeOffset.UtcNow;
        var candidate = new BlobCandidate(digest, content.Length);
        Assert.Single(await gc.MarkBlobsAsync([candidate], mark.AddMinutes(1), mark.AddMinutes(-5), mark, CancellationToken.None));

        var upload = client.Registry.PushBlobAsync("race/upload-b", content);
        await Task.Delay(500);
        Assert.False(upload.IsCompleted, "the upload must wait while the collection deletes the same content");

        // The collection deletes the bytes, then the record; only then may new bytes land.
        File.Delete(client.BlobFile(digest.Value));
        Assert.Equal(1, await gc.ForgetBlobsAsync([candidate], mark, CancellationToken.None));
        await upload.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(File.Exists(client.BlobFile(digest.Value)));
        Assert.Equal(HttpStatusCode.OK, await client.Registry.StatusOfAsync(HttpMethod.Get, $"/v2/race/upload-b/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, await client.Registry.StatusOfAsync(HttpMethod.Head, $"/v2/race/upload-a/blobs/{digest}"));
        await client.FsckAsync();
    }

    [Fact]
    public async Task Mount_OfBlobACollectionIsDeleting_FallsBackToAnUpload()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var content = MaintenanceTestClient.Unique("mounted");
        var digest = Digest.Parse(await client.Registry.PushBlobAsync("race/mount-a", content));
        await client.Registry.PushBlobAsync("race/mount-keep", content);
        var gc = server.GetRequiredService<IGarbageCollectionIndex>();
        var now = DateTimeOffset.UtcNow;

        // A blob linked elsewhere but marked (e.g. the mark raced the other link): links are removed with the mark.
        Assert.Single(await gc.MarkBlobsAsync([new BlobCandidate(digest, content.Length)], now.AddMinutes(1), now.AddMinutes(-5), now, CancellationToken.None));
        using var mount = await http.PostAsync($"/v2/race/mount-b/blobs/uploads/?mount={digest}&from=race/mount-a", null);

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await client.Registry.StatusOfAsync(HttpMethod.Head, $"/v2/race/mount-b/blobs/{digest}"));

        // A mount that found the source link just before the mark: linking the marked blob is refused.
        Assert.False(await server.GetRequiredService<IRegistryIndex>().LinkBlobAsync(RepositoryName.Parse("race/mount-b"), digest, content.Length, CancellationToken.None));
    }

    [Fact]
    public async Task Upload_OverAnAbandonedMark_TakesItOver()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var index = server.GetRequiredService<IRegistryIndex>();
        var gc = server.GetRequiredService<IGarbageCollectionIndex>();
        var content = MaintenanceTestClient.Unique("abandoned");
        var digest = Digest.Parse(await client.Registry.PushBlobAsync("race/abandoned", content));
        var mark = time.GetUtcNow();
        Assert.Single(await gc.MarkBlobsAsync([new BlobCandidate(digest, content.Length)], mark.AddMinutes(1), mark.AddMinutes(-5), mark, CancellationToken.None));
        Assert.False(await index.ReserveBlobAsync(digest, content.Length, mark - GarbageCollectionProtocol.AbandonedAfter, CancellationToken.None));

        // The collection died before deleting anything; past AbandonedAfter an upload proceeds.
        time.Advance(GarbageCollectionProtocol.AbandonedAfter + TimeSpan.FromMinutes(1));
        await client.Registry.PushBlobAsync("race/abandoned", content);

        Assert.Equal(HttpStatusCode.OK, await client.Registry.StatusOfAsync(HttpMethod.Get, $"/v2/race/abandoned/blobs/{digest}"));
        Assert.Equal(0, await gc.ForgetBlobsAsync([new BlobCandidate(digest, content.Length)], mark, CancellationToken.None));
        await client.FsckAsync();
    }

    [Fact]
    public async Task Collect_MarkLeftByADeadRun_IsFinishedByTheNextRun()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var content = MaintenanceTestClient.Unique("leftover");
        var digest = Digest.Parse(await client.Registry.PushBlobAsync("race/leftover", content));
        var mark = time.GetUtcNow();
        var gc = server.GetRequiredService<IGarbageCollectionIndex>();
        Assert.Single(await gc.MarkBlobsAsync([new BlobCandidate(digest, content.Length)], mark.AddMinutes(1), mark.AddMinutes(-5), mark, CancellationToken.None));

        var tooSoon = await client.CollectAsync(new GarbageCollectionRequest());
        Assert.Equal(0, tooSoon.BlobsDeleted);
        time.Advance(GarbageCollectionProtocol.MarkLifetime + TimeSpan.FromSeconds(1));
        var next = await client.CollectAsync(new GarbageCollectionRequest());

        Assert.Equal((1, (long)content.Length), (next.BlobsDeleted, next.ReclaimedBytes));
        Assert.False(File.Exists(client.BlobFile(digest.Value)));
        await client.FsckAsync();
    }

    [Fact]
    public async Task DeleteUntagged_ManifestTaggedDuringTheCollection_IsKept()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var gc = server.GetRequiredService<IGarbageCollectionIndex>();
        var image = await client.PushImageAsync("race/tag", null, MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
        time.Advance(TimeSpan.FromDays(2));
        var createdBefore = time.GetUtcNow() - TimeSpan.FromDays(1);
        var seenBefore = time.GetUtcNow() - TimeSpan.FromHours(1);
        var candidate = Assert.Single(await gc.FindUntaggedManifestsAsync(createdBefore, seenBefore, null, 100, CancellationToken.None));

        using (var manifest = await http.GetAsync($"/v2/race/tag/manifests/{image.Digest}"))
        using (var retag = await client.Registry.PutManifestAsync("race/tag", "now-tagged", await manifest.Content.ReadAsStringAsync(), TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, retag.StatusCode);
        }

        Assert.False(await gc.DeleteUntaggedManifestAsync(candidate, createdBefore, seenBefore, _ => Task.CompletedTask, CancellationToken.None));
        await client.PullCompletelyAsync("race/tag", "now-tagged");
        await client.FsckAsync();
    }
}
