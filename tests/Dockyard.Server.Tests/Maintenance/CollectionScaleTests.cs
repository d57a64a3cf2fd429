using System.Diagnostics;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>
/// Many unreferenced blobs (records and files written directly, as a registry that deleted a lot would have them):
/// one run deletes all of them, in batches, within a bound that extrapolates to 100,000 blobs in minutes.
/// </summary>
public sealed class CollectionScaleTests(ITestOutputHelper output)
{
    private const int Count = 10_000;

    [Fact]
    public async Task Collect_10000UnreferencedBlobs_DeletesAllInBatchesWithinAMinute()
    {
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?> { ["Dockyard:GarbageCollection:Enabled"] = "false" });
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var kept = await client.PushImageAsync("scale/kept", "v1", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
        var old = DateTimeOffset.UtcNow.AddDays(-1).UtcTicks;
        var digests = new List<string>(Count);
        var contexts = server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < Count; i++)
            {
                var content = BitConverter.GetBytes(i);
                var digest = MaintenanceTestClient.Sha256(content);
                digests.Add(digest);
                var path = client.BlobFile(digest);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, content);
                await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO blobs (digest, size, created_at, last_seen_at) VALUES ({digest}, {content.Length}, {old}, {old})");
                await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO blob_links (repository, digest, size, created_at) VALUES ('scale/orphans', {digest}, {content.Length}, {old})");
            }

            await transaction.CommitAsync();
        }

        var batches = 0;
        var watch = Stopwatch.StartNew();
        var result = await client.CollectAsync(new GarbageCollectionRequest
        {
            Progress = new Progress<GarbageCollectionProgress>(p => Interlocked.Increment(ref batches)),
        });
        watch.Stop();
        output.WriteLine($"{Count} blobs in {watch.Elapsed.TotalSeconds:0.0} s ({Count / watch.Elapsed.TotalSeconds:0} blobs/s)");

        Assert.Equal((Count, Count, Count * 4L), (result.BlobsDeleted, result.LinksDeleted, result.ReclaimedBytes));
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), $"took {watch.Elapsed}");
        Assert.All(digests.Take(100), d => Assert.False(File.Exists(client.BlobFile(d))));
        await client.PullCompletelyAsync("scale/kept", "v1");
        await client.FsckAsync(verifyDigests: false);
        Assert.NotNull(kept);
    }
}
