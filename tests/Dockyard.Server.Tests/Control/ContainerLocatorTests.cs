using Dockyard.Server.Control;
using Dockyard.Server.Control.Containers;
using Dockyard.Server.Errors;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// <see cref="ContainerLocator"/> against the two engines of <see cref="SwarmFixture"/>: a container is found on the
/// engine that runs it (by id, prefix or name), a name used on both engines is ambiguous, an unknown one is not found.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ContainerLocatorTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Finds_each_container_on_its_own_engine_and_refuses_ambiguous_names()
    {
        var server = await swarm.DockyardAsync();
        var image = await swarm.BusyboxAsync();
        var locator = server.Get<ContainerLocator>();
        var name = "locate-" + Guid.NewGuid().ToString("N")[..10];
        var onWorker = (await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", name, "--label", "dockyard.access.collection=/teams/a", image, "/bin/busybox", "sleep", "120")).StandardOutput.Trim();
        try
        {
            var byName = await locator.FindAsync(name, CancellationToken.None);
            Assert.Equal((SwarmFixture.WorkerEngine, swarm.WorkerNodeId, onWorker, name, "/teams/a"), (byName.Engine.Name, byName.Engine.NodeId, byName.Id, byName.Name, byName.Collection.Value));
            Assert.Equal(onWorker, (await locator.FindAsync(onWorker[..12], CancellationToken.None)).Id);

            var onManager = (await swarm.Manager.RunDockerAsync("run", "-d", "--network", "none", "--name", name, image, "/bin/busybox", "sleep", "120")).StandardOutput.Trim();
            try
            {
                var ambiguous = await Assert.ThrowsAsync<DomainException>(() => locator.FindAsync(name, CancellationToken.None));
                Assert.Equal(DomainErrorKind.Conflict, ambiguous.Kind);
                var byId = await locator.FindAsync(onManager, CancellationToken.None);
                Assert.Equal((SwarmFixture.ManagerEngine, "/"), (byId.Engine.Name, byId.Collection.Value));
            }
            finally
            {
                await swarm.Manager.RunDockerUncheckedAsync("rm", "-f", onManager);
            }
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", onWorker);
        }

        Assert.Equal(DomainErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() => locator.FindAsync(name, CancellationToken.None))).Kind);
        Assert.Equal(DomainErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() => locator.FindAsync("../x", CancellationToken.None))).Kind);
    }

    [Fact]
    public async Task Engines_never_probed_are_probed_before_they_are_used()
    {
        // A fresh registry, as right after start-up before the refresher's first probe has finished.
        var server = await swarm.DockyardAsync();
        var options = Microsoft.Extensions.Options.Options.Create(new ControlOptions
        {
            Engines = [new() { Name = "m", Endpoint = swarm.Manager.DockerHost }, new() { Name = "w", Endpoint = swarm.Worker.DockerHost }],
        });
        using var registry = new EngineRegistry(
            server.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Dockyard.Server.Data.DockyardDbContext>>(), options, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EngineRegistry>.Instance);

        await registry.EnsureLoadedAsync(CancellationToken.None);

        Assert.Equal(["m", "w"], registry.Reachable().Select(e => e.Name));
    }
}
