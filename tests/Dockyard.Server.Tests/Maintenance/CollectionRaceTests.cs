using System.Net;
using System.Text;
using Dockyard.Registry;
using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
        var missing = await index.PutManifestAsync(repository, record, [configDigest, layerDigest], "v1", verifyReferences: true, beforeCommit: null, outboxEvent: null, CancellationToken.None);

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

    /// <summary>
    /// A client HEADs (or GETs) layers that are unreferenced and past the grace, skips uploading them, and pushes the
    /// manifest later: the lookup refreshed them, so a collection in between keeps them and the manifest is accepted.
    /// </summary>
    [Theory]
    [InlineData("HEAD")]
    [InlineData("GET")]
    public async Task BlobLookup_OfUnreferencedBlobsPastTheGrace_KeepsThemThroughACollectionForTheManifestThatFollows(string method)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var config = MaintenanceTestClient.Unique("config");
        var layer = MaintenanceTestClient.Unique("layer");
        var configDigest = await client.Registry.PushBlobAsync("race/head", config);
        var layerDigest = await client.Registry.PushBlobAsync("race/head", layer);
        time.Advance(TimeSpan.FromHours(2));

        foreach (var digest in new[] { configDigest, layerDigest })
        {
            Assert.Equal(HttpStatusCode.OK, await client.Registry.StatusOfAsync(new HttpMethod(method), $"/v2/race/head/blobs/{digest}"));
        }

        var collected = await client.CollectAsync(new GarbageCollectionRequest());
        Assert.Equal((0, 0), (collected.LinksDeleted, collected.BlobsDeleted));

        var json = TestManifests.Image(TestManifests.OciManifest, configDigest, config.Length, layerDigest, layer.Length);
        using (var push = await client.Registry.PutManifestAsync("race/head", "v1", json, TestManifests.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        await client.PullCompletelyAsync("race/head", "v1");
        await client.FsckAsync();
    }

    /// <summary>Only a lookup that finds the blob last seen more than half the grace ago writes; the common one only reads.</summary>
    [Fact]
    public async Task BlobLookup_RefreshesLastSeenOnlyWhenOlderThanHalfTheGrace()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var digest = await client.Registry.PushBlobAsync("race/seen", MaintenanceTestClient.Unique("blob"));
        var pushedAt = time.GetUtcNow();

        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, await client.Registry.StatusOfAsync(HttpMethod.Head, $"/v2/race/seen/blobs/{digest}"));
        Assert.Equal(pushedAt, await LastSeenAsync(server, digest));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, await client.Registry.StatusOfAsync(HttpMethod.Head, $"/v2/race/seen/blobs/{digest}"));
        Assert.Equal(time.GetUtcNow(), await LastSeenAsync(server, digest));
    }

    /// <summary>The lookup's refresh and a collection's find-then-mark touch the same row: a refresh in between wins.</summary>
    [Fact]
    public async Task BlobLookup_BetweenACollectionsFindAndItsDeletes_KeepsTheLinkAndTheBlob()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await MaintenanceTestClient.StartWithClockAsync(time);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var gc = server.GetRequiredService<IGarbageCollectionIndex>();
        var content = MaintenanceTestClient.Unique("between");
        var digest = await client.Registry.PushBlobAsync("race/between", content);
        time.Advance(TimeSpan.FromHours(2));
        var seenBefore = time.GetUtcNow() - TimeSpan.FromHours(1);
        var links = await gc.FindUnreferencedLinksAsync(seenBefore, null, 100, CancellationToken.None);
        var blobs = await gc.FindUnreferencedBlobsAsync(seenBefore, seenBefore, null, 100, CancellationToken.None);
        Assert.Equal(digest, Assert.Single(links).Digest.Value);
        Assert.Equal(digest, Assert.Single(blobs).Digest.Value);

        Assert.Equal(HttpStatusCode.OK, await client.Registry.StatusOfAsync(HttpMethod.Head, $"/v2/race/between/blobs/{digest}"));

        Assert.Empty(await gc.DeleteUnreferencedLinksAsync(links, seenBefore, CancellationToken.None));
        Assert.Empty(await gc.MarkBlobsAsync(blobs, seenBefore, seenBefore, time.GetUtcNow(), CancellationToken.None));
        Assert.True(File.Exists(client.BlobFile(digest)));
        Assert.Equal(HttpStatusCode.OK, await client.Registry.StatusOfAsync(HttpMethod.Get, $"/v2/race/between/blobs/{digest}"));
    }

    /// <summary>
    /// A collection marks the blob after the lookup read it (still linked, last seen long ago) and before the refresh:
    /// the refresh loses, and the client is told BLOB_UNKNOWN — as it would be a moment later — so it uploads the blob
    /// again instead of pushing a manifest that would fail with MANIFEST_BLOB_UNKNOWN.
    /// </summary>
    [Theory]
    [InlineData("HEAD")]
    [InlineData("GET")]
    public async Task BlobLookup_MarkedByACollectionAfterItsRead_AnswersBlobUnknown(string method)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        BlobLookupHook hook = null!;
        await using var server = await InProcessDockyard.StartAsync(configure: b =>
        {
            b.Services.AddSingleton<TimeProvider>(time);
            b.Services.AddSingleton(provider => BlobLookupHook.Wrap(ActivatorUtilities.CreateInstance<EfRegistryIndex>(provider), out hook));
        });
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var content = MaintenanceTestClient.Unique("marked");
        var digest = Digest.Parse(await client.Registry.PushBlobAsync("race/marked", content));
        time.Advance(TimeSpan.FromHours(2));
        var gc = server.GetRequiredService<IGarbageCollectionIndex>();
        var marks = 0;
        _ = server.GetRequiredService<IRegistryIndex>();
        hook.AfterFindBlob = async found =>
        {
            if (found == digest && marks++ == 0)
            {
                var now = time.GetUtcNow();
                Assert.Single(await gc.MarkBlobsAsync([new BlobCandidate(digest, content.Length)], now - TimeSpan.FromHours(1), now - GarbageCollectionProtocol.MarkLifetime, now, CancellationToken.None));
            }
        };

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v2/race/marked/blobs/{digest}"));

        Assert.Equal(1, marks);
        if (method == "GET")
        {
            await RegistryTestClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        }
        else
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    private static async Task<DateTimeOffset> LastSeenAsync(InProcessDockyard server, string digest)
    {
        await using var db = await server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return await db.Blobs.AsNoTracking().Where(b => b.Digest == digest).Select(b => b.LastSeenAt).SingleAsync();
    }
}
