using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.Filesystem;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>
/// The repository manifest link (<c>_manifests/…</c>) against its index row, with another request held exactly in the
/// gap between the two: a delete removes the link inside its row transaction, a push writes the link before its row.
/// </summary>
public sealed class ManifestLinkRaceTests
{
    [Fact]
    public Task Fsck_WhileADeleteIsBetweenItsLinkDeleteAndItsCommit_WaitsForTheDeleteAndIsClean() => FsckDuringDeleteAsync(database: null);

    [Fact]
    public Task Delete_WhileAPushOfTheSameManifestIsBetweenItsLinkAndItsRow_PushedManifestKeepsItsLink() => DeleteDuringPushAsync(database: null);

    /// <summary>fsck run while a delete holds its transaction open with the link already gone: it waits, and is clean.</summary>
    internal static async Task FsckDuringDeleteAsync(TestDatabase? database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var image = await fixture.Client.PushImageAsync("race/fsck", null, MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));

        var held = fixture.Storage.ArmDelete();
        var delete = fixture.Client.DeleteManifestAsync(image.Repository, image.Digest);
        await held.WaitAsync(TimeSpan.FromSeconds(30));

        // The link is gone, the row delete is not committed: a legitimate in-flight state, not a lost link.
        var checker = fixture.Server.GetRequiredService<IntegrityChecker>();
        var fsck = Task.Run(() => checker.CheckAsync(new IntegrityCheckRequest { VerifyDigests = false }, CancellationToken.None));
        await Task.WhenAny(fsck, Task.Delay(TimeSpan.FromSeconds(3)));
        fixture.Storage.Release();
        await delete;
        var report = await fsck;

        Assert.True(report.IsClean, "fsck: " + string.Join("\n", report.Problems));
        await fixture.Client.FsckAsync();
    }

    /// <summary>A delete committed between a re-push's link write and its row: the pushed manifest keeps its link.</summary>
    internal static async Task DeleteDuringPushAsync(TestDatabase? database)
    {
        await using var fixture = await Fixture.StartAsync(database);
        var config = MaintenanceTestClient.Unique("config");
        var layer = MaintenanceTestClient.Unique("layer");
        var image = await fixture.Client.PushImageAsync("race/repush", null, config, layer);

        // The same manifest again: its link is written (it already was), then the push is held before its row…
        var held = fixture.Storage.ArmPut();
        var push = fixture.Client.PushImageAsync(image.Repository, "v1", config, layer);
        await held.WaitAsync(TimeSpan.FromSeconds(30));

        // …while a delete removes the row and the link and commits; then the push inserts the row afresh.
        await fixture.Client.DeleteManifestAsync(image.Repository, image.Digest);
        fixture.Storage.Release();
        var pushed = await push;

        Assert.Equal(image.Digest, pushed.Digest);
        await fixture.Client.PullCompletelyAsync(image.Repository, "v1");
        await fixture.Client.FsckAsync();
    }

    private sealed class Fixture : IAsyncDisposable
    {
        private readonly DirectoryInfo _storageDirectory;
        private readonly HttpClient _http;

        private Fixture(DirectoryInfo storageDirectory, PausingManifestLinkStorageDriver storage, InProcessDockyard server)
        {
            _storageDirectory = storageDirectory;
            Storage = storage;
            Server = server;
            _http = server.CreateClient();
            Client = new MaintenanceTestClient(server, _http);
        }

        public PausingManifestLinkStorageDriver Storage { get; }

        public InProcessDockyard Server { get; }

        public MaintenanceTestClient Client { get; }

        public static async Task<Fixture> StartAsync(TestDatabase? database)
        {
            var directory = Directory.CreateTempSubdirectory("dockyard-link-race-");
            var storage = new PausingManifestLinkStorageDriver(new FilesystemStorageDriver(directory.FullName));
            var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<IStorageDriver>(storage), database: database);
            return new Fixture(directory, storage, server);
        }

        public async ValueTask DisposeAsync()
        {
            Storage.Release();
            _http.Dispose();
            await Server.DisposeAsync();
            _storageDirectory.Delete(recursive: true);
        }
    }
}
