using System.Text;
using Dockyard.Control.Engines;
using Dockyard.Server.Control.Events;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Control.Events;

/// <summary>
/// The event consumer against its own dockerd, with Dockyards started and stopped around it: nothing is missing after
/// the watcher was cut off (replayed where the engine still has the events, reconciled where it does not) or the
/// engine itself restarted, and two
/// replicas on one database read the stream once, with the other taking over when the holder goes.
/// </summary>
[Collection(EventsDaemonCollection.Name)]
public sealed class EventConsumerTests(DockerDaemonFixture docker, ITestOutputHelper output) : IDisposable
{
    private const string Engine = "solo";
    private static readonly SemaphoreSlim ImageLock = new(1, 1);
    private static string? _image;
    private readonly TempDirectory _data = new("events-consumer");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task AfterTheWatcherWasCutOff_NothingIsMissing_ReplayedOrReconciled()
    {
        var image = await ImageAsync();
        var existing = Name("gone");
        var kept = Name("kept");
        var brief = Name("brief");
        var late = Name("late");
        try
        {
            await docker.RunDockerAsync("create", "--network", "none", "--name", existing, image, "/bin/busybox", "true");
            await using (var first = await StartAsync())
            {
                await EventTestHelpers.WaitUntilConsumingAsync(first, Engine);
            }

            // Cut off: the engine's ring keeps its last 256 events, so the flood pushes the first changes out of it.
            await docker.RunDockerAsync("rm", existing);
            await docker.RunDockerAsync("create", "--network", "none", "--name", kept, image, "/bin/busybox", "true");
            await FloodAsync(150);
            await docker.RunDockerAsync("create", "--network", "none", "--name", brief, image, "/bin/busybox", "true");
            await docker.RunDockerAsync("rm", brief);
            await docker.RunDockerAsync("create", "--network", "none", "--name", late, image, "/bin/busybox", "true");

            await using var second = await StartAsync();
            var gone = await EventTestHelpers.WaitForEventsAsync(second, existing, rows => rows.Any(r => r.Action == "destroy"));
            var keptRows = await EventTestHelpers.WaitForEventsAsync(second, kept, rows => rows.Any(r => r.Action == "create"));
            var briefRows = await EventTestHelpers.WaitForEventsAsync(second, brief, rows => rows.Any(r => r.Action == "destroy"));
            var lateRows = await EventTestHelpers.WaitForEventsAsync(second, late, rows => rows.Any(r => r.Action == "create"));
            output.WriteLine($"gone: {string.Join(", ", gone)}; kept: {string.Join(", ", keptRows)}; brief: {string.Join(", ", briefRows)}; late: {string.Join(", ", lateRows)}");

            // Out of the engine's ring: only a reconcile can know, and says so.
            Assert.Contains(("destroy", true), gone);
            Assert.Contains(("create", true), keptRows);

            // Still in the ring: replayed as the engine reported them.
            Assert.Contains(("create", false), briefRows);
            Assert.Contains(("destroy", false), briefRows);
            Assert.Contains(("create", false), lateRows);
            Assert.DoesNotContain(lateRows, r => r.Reconciled);
        }
        finally
        {
            await docker.RunDockerUncheckedAsync("rm", "-f", existing, kept, brief, late);
        }
    }

    [Fact]
    public async Task AfterTheEngineRestarted_WhatChangedMeanwhileIsRecorded()
    {
        var image = await ImageAsync();
        var running = Name("running");
        var after = Name("after");
        try
        {
            await using var server = await StartAsync();
            await EventTestHelpers.WaitUntilConsumingAsync(server, Engine);
            await docker.RunDockerAsync("run", "-d", "--network", "none", "--name", running, image, "/bin/busybox", "sleep", "600");
            var started = await EventTestHelpers.WaitForEventsAsync(server, running, rows => rows.Any(r => r.Action == "start"));
            Assert.Contains(("start", false), started);

            // The engine goes away (its container dies with it, its event ring is lost) and comes back; a container
            // is created before the watcher has reconnected.
            await docker.RestartAsync();
            await docker.RunDockerAsync("create", "--network", "none", "--name", after, image, "/bin/busybox", "true");

            var runningRows = await EventTestHelpers.WaitForEventsAsync(server, running, rows => rows.Any(r => r.Action == "die"));
            var afterRows = await EventTestHelpers.WaitForEventsAsync(server, after, rows => rows.Any(r => r.Action == "create"));
            output.WriteLine($"running: {string.Join(", ", runningRows)}; after: {string.Join(", ", afterRows)}");
            Assert.Contains(runningRows, r => r.Action == "die");
            Assert.Contains(afterRows, r => r.Action == "create");
        }
        finally
        {
            await docker.RunDockerUncheckedAsync("rm", "-f", running, after);
        }
    }

    [Fact]
    public async Task TwoReplicasOnOneDatabase_StoreEachEventOnce_AndTheOtherTakesOverWhenTheHolderGoes()
    {
        var image = await ImageAsync();
        var before = Name("before");
        var after = Name("after");
        var a = await StartAsync();
        var b = await StartAsync();
        try
        {
            await EventTestHelpers.WaitUntilConsumingAsync(a, Engine);
            var holder = await a.GetRequiredService<EventLeases>().HolderAsync(Engine, CancellationToken.None);
            var (holding, other) = holder == a.GetRequiredService<EventLeases>().Holder ? (a, b) : (b, a);
            Assert.Equal(holder, holding.GetRequiredService<EventLeases>().Holder);

            await docker.RunDockerAsync("create", "--network", "none", "--name", before, image, "/bin/busybox", "true");
            var rows = await EventTestHelpers.WaitForEventsAsync(other, before, r => r.Count > 0);
            await Task.Delay(TimeSpan.FromSeconds(2));
            rows = await EventTestHelpers.WaitForEventsAsync(other, before, _ => true);
            Assert.Equal(new[] { ("create", false) }, rows);
            Assert.Equal(holder, await other.GetRequiredService<EventLeases>().HolderAsync(Engine, CancellationToken.None));

            // The holder goes away; the other replica claims the stream and records what happens next.
            await holding.DisposeAsync();
            var otherHolder = other.GetRequiredService<EventLeases>().Holder;
            var taken = await WaitAsync(async () => await other.GetRequiredService<EventLeases>().HolderAsync(Engine, CancellationToken.None) == otherHolder);
            Assert.True(taken, "the remaining replica did not take the lease over");
            await EventTestHelpers.WaitUntilConsumingAsync(other, Engine);
            await docker.RunDockerAsync("create", "--network", "none", "--name", after, image, "/bin/busybox", "true");
            Assert.Equal(new[] { ("create", false) }, await EventTestHelpers.WaitForEventsAsync(other, after, r => r.Count > 0));
            await using var db = await other.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
            Assert.Equal(1, await db.EngineEvents.CountAsync(e => e.ActorName == before && e.Action == "create"));
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            await docker.RunDockerUncheckedAsync("rm", "-f", before, after);
        }
    }

    private static string Name(string what) => $"ev-{what}-{Guid.NewGuid().ToString("N")[..8]}";

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + EventTestHelpers.Deadline;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private Task<InProcessDockyard> StartAsync() => InProcessDockyard.StartAsync(dataDirectory: _data.Path, settings: new Dictionary<string, string?>
    {
        ["Dockyard:Control:Engines:0:Name"] = Engine,
        ["Dockyard:Control:Engines:0:Endpoint"] = docker.DockerHost,
        ["Dockyard:Control:RefreshInterval"] = "00:00:01",
        [EngineEventsOptions.Section + ":LeaseDuration"] = "00:00:03",
    });

    /// <summary>Creates and removes volumes straight through the API: 2 events each, fast.</summary>
    private async Task FloodAsync(int volumes)
    {
        using var client = new EngineClient(new EngineEndpoint("flood", new Uri(docker.DockerHost)));
        for (var i = 0; i < volumes; i++)
        {
            var name = "ev-flood-" + i;
            using var body = new StringContent($"{{\"Name\":\"{name}\"}}", Encoding.UTF8, "application/json");
            await client.PostAsync("volumes/create", body, CancellationToken.None);
            await client.DeleteAsync("volumes/" + name, CancellationToken.None);
        }
    }

    private async Task<string> ImageAsync()
    {
        await ImageLock.WaitAsync();
        try
        {
            if (_image is null)
            {
                const string reference = "dockyard-events/busybox:test";
                using var work = new TempDirectory("events-image");
                await TestImages.BuildBusyboxImageAsync(docker, reference, work.Path);
                _image = reference;
            }

            return _image;
        }
        finally
        {
            ImageLock.Release();
        }
    }
}
