using System.Collections.Concurrent;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>
/// The verification: garbage collection in a loop while pushers push distinct and shared-layer images over
/// HTTP. After every round fsck is clean; at the end every pushed tag pulls completely, and the bytes reclaimed over
/// all rounds equal exactly the sizes of the images the pushers deliberately deleted.
/// </summary>
public sealed class ConcurrentCollectionTests
{
    private const int Pushers = 4;
    private static readonly TimeSpan PushFor = TimeSpan.FromSeconds(12);

    // Longer than any single push takes on a loaded machine (blob uploads to manifest PUT), short enough to collect
    // the deleted images within the test.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task CollectInALoop_WhilePushing_FsckCleanEveryRoundAndReclaimedBytesMatchWhatWasDeleted()
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        var sharedLayers = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            // Keep every shared layer referenced by a base image for the whole test.
            var layer = MaintenanceTestClient.Unique($"shared layer {i}");
            sharedLayers.Add(layer);
            await client.PushImageAsync("load/base", $"base{i}", MaintenanceTestClient.Unique("base config"), layer);
        }

        var kept = new ConcurrentBag<(string Repository, string Tag)>();
        long deletedBytes = 0;
        var deletedImages = 0;
        using var stop = new CancellationTokenSource(PushFor);
        var pushers = Enumerable.Range(0, Pushers).Select(p => Task.Run(async () =>
        {
            using var pusherHttp = server.CreateClient();
            var pusher = new MaintenanceTestClient(server, pusherHttp);
            var repository = $"load/pusher{p}";
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var layer = n % 2 == 0 ? sharedLayers[(p + n) % sharedLayers.Count] : MaintenanceTestClient.Unique($"layer {p}/{n}");
                await pusher.PushImageAsync(repository, $"t{n}", MaintenanceTestClient.Unique($"config {p}/{n}"), layer);
                kept.Add((repository, $"t{n}"));
                if (n % 3 == 2)
                {
                    // Deliberately unreferenced: unique config, unique layer, manifest body.
                    var doomed = await pusher.PushImageAsync(repository, null, MaintenanceTestClient.Unique($"doomed config {p}/{n}"), MaintenanceTestClient.Unique($"doomed layer {p}/{n}"));
                    await pusher.DeleteManifestAsync(repository, doomed.Digest);
                    Interlocked.Add(ref deletedBytes, doomed.TotalBytes);
                    Interlocked.Increment(ref deletedImages);
                }
            }
        })).ToArray();

        long reclaimed = 0;
        var rounds = 0;
        var request = new GarbageCollectionRequest { Grace = Grace };
        var all = Task.WhenAll(pushers);
        while (!all.IsCompleted)
        {
            var result = await client.CollectAsync(request);
            reclaimed += result.ReclaimedBytes;
            rounds++;
            await client.FsckAsync();
            await Task.WhenAny(all, Task.Delay(200));
        }

        await all;
        await Task.Delay(Grace + TimeSpan.FromSeconds(1));
        var last = await client.CollectAsync(request);
        reclaimed += last.ReclaimedBytes;
        await client.FsckAsync();

        Assert.True(rounds >= 3, $"only {rounds} collection rounds ran");
        Assert.True(deletedImages >= Pushers, $"only {deletedImages} images were deleted");
        Assert.Equal(Interlocked.Read(ref deletedBytes), reclaimed);
        foreach (var (repository, tag) in kept)
        {
            await client.PullCompletelyAsync(repository, tag);
        }

        for (var i = 0; i < sharedLayers.Count; i++)
        {
            await client.PullCompletelyAsync("load/base", $"base{i}");
        }

        var again = await client.CollectAsync(new GarbageCollectionRequest { Grace = TimeSpan.Zero });
        Assert.Equal(0, again.BlobsDeleted);
    }
}
