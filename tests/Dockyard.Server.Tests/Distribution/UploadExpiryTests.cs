using System.Net;
using Dockyard.Registry.Content;
using Dockyard.Registry.Storage;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Distribution;

/// <summary>
/// Expiry runs on the injected <see cref="TimeProvider"/>. The sessions here have data (a PATCH), so the test
/// fails if expiry looks at the data file's real-clock mtime instead of the session's recorded last activity.
/// </summary>
public sealed class UploadExpiryTests
{
    [Fact]
    public async Task PurgeExpired_SessionIdleFor25Hours_IsGoneAndFreshSessionSurvives()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        Assert.Same(time, server.GetRequiredService<TimeProvider>());
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var repository = RegistryTestClient.UniqueRepository("expiry");

        var stale = await client.StartUploadAsync(repository);
        using (var patch = await client.PatchAsync(stale, new byte[64], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        time.Advance(TimeSpan.FromHours(25));
        var fresh = await client.StartUploadAsync(repository);
        using (var patch = await client.PatchAsync(fresh, new byte[64], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        await server.GetRequiredService<UploadService>().PurgeExpiredAsync(CancellationToken.None);

        using (var status = await http.GetAsync(stale))
        {
            await RegistryTestClient.AssertErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        using var survivor = await http.GetAsync(fresh);
        Assert.Equal(HttpStatusCode.NoContent, survivor.StatusCode);
        Assert.Equal("0-63", survivor.Headers.GetValues("Range").Single());
    }

    [Fact]
    public async Task PurgeExpired_SessionStartedLongAgoButRecentlyPatched_Survives()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var repository = RegistryTestClient.UniqueRepository("expiry");

        var location = await client.StartUploadAsync(repository);
        time.Advance(TimeSpan.FromHours(23));
        using (var patch = await client.PatchAsync(location, new byte[10], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        time.Advance(TimeSpan.FromHours(2));
        await server.GetRequiredService<UploadService>().PurgeExpiredAsync(CancellationToken.None);

        using var status = await http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-9", status.Headers.GetValues("Range").Single());
    }

    [Fact]
    public async Task Patch_RestampsTheSessionAtMostOncePerHundredthOfTheExpiry()
    {
        // Restamping is a durable write of the info file; per chunk it made every PATCH wait for an fsync.
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var location = await client.StartUploadAsync(RegistryTestClient.UniqueRepository("expiry"));
        var uploadId = location.Split('?')[0].TrimEnd('/').Split('/')[^1];
        var storage = server.GetRequiredService<IStorageDriver>();
        var started = await storage.GetContentAsync(StoragePaths.UploadInfo(uploadId), CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(14)); // under 1 % of the 24 h default
        using (var patch = await client.PatchAsync(location, new byte[10], 0))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        Assert.Equal(started, await storage.GetContentAsync(StoragePaths.UploadInfo(uploadId), CancellationToken.None));

        time.Advance(TimeSpan.FromMinutes(1)); // 15 min since the stamp: over 1 %
        using (var patch = await client.PatchAsync(location, new byte[10], 10))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        var restamped = System.Text.Encoding.UTF8.GetString((await storage.GetContentAsync(StoragePaths.UploadInfo(uploadId), CancellationToken.None))!);
        Assert.Contains("2030-01-01T00:15:00", restamped, StringComparison.Ordinal);
    }
}
