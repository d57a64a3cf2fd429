using Dockyard.Control.Containers;
using Dockyard.Control.Engines;
using Dockyard.Control.Images;
using Dockyard.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// Container and image facades against each engine of <see cref="SwarmFixture"/>: a container started with the
/// docker CLI on one engine is driven through the facade on that engine and is invisible on the other.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class EngineContainerTests : IDisposable
{
    private readonly SwarmFixture _swarm;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _work = new("ctl-containers");

    public EngineContainerTests(SwarmFixture swarm, ITestOutputHelper output)
    {
        _swarm = swarm;
        _output = output;
    }

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("manager")]
    [InlineData("worker")]
    public async Task Container_lifecycle_through_the_facade_on_each_engine(string which)
    {
        var (cli, socket, other) = which == "manager"
            ? (_swarm.Manager, _swarm.ManagerSocketPath, _swarm.WorkerSocketPath)
            : (_swarm.Worker, _swarm.WorkerSocketPath, _swarm.ManagerSocketPath);
        using var engine = Engine(which, socket);
        using var otherEngine = Engine("other", other);
        var containers = new ContainerClient(engine);
        var images = new ImageClient(engine);
        var ct = CancellationToken.None;

        var suffix = Guid.NewGuid().ToString("N")[..12];
        var reference = $"dockyard-ctl/busybox:{suffix}";
        var imageId = await TestImages.BuildBusyboxImageAsync(cli, reference, _work.Path);
        var name = "ctl-" + suffix;
        var id = (await cli.RunDockerAsync("run", "-d", "--network", "none", "--name", name, "--label", "dockyard.test=" + suffix, reference, "/bin/busybox", "sleep", "300")).StandardOutput.Trim();
        _output.WriteLine($"container {id} on {which}");

        var byLabel = new EngineFilters().Add("label", "dockyard.test=" + suffix);
        var listed = Assert.Single(await containers.ListAsync(new ContainerListOptions(Filters: byLabel), ct));
        Assert.Equal((id, "running", "/" + name, imageId), (listed.Id, listed.State, Assert.Single(listed.Names), listed.ImageId));
        Assert.Equal(id, Assert.Single(await containers.ListAsync(new ContainerListOptions(Filters: new EngineFilters().Add("name", name).Add("status", "running")), ct)).Id);
        Assert.Empty(await new ContainerClient(otherEngine).ListAsync(new ContainerListOptions(All: true, Filters: byLabel), ct));

        var details = await containers.InspectAsync(name, ct);
        Assert.Equal(id, details.Id);
        Assert.Equal(imageId, details.ImageId);
        Assert.Equal(reference, details.Config.Image);
        Assert.False(details.Config.Tty);
        Assert.Equal(suffix, details.Config.Labels!["dockyard.test"]);
        Assert.Equal("none", details.HostConfig.NetworkMode);
        Assert.False(details.HostConfig.Privileged);
        Assert.True(details.State is { Running: true, Status: "running" } && details.State.Pid > 0, $"state: {details.State}");
        Assert.Empty(details.Mounts);

        Assert.True(await containers.PauseAsync(id, ct));
        Assert.True((await containers.InspectAsync(id, ct)).State.Paused);
        Assert.True(await containers.UnpauseAsync(id, ct));
        Assert.Equal("running", (await containers.InspectAsync(id, ct)).State.Status);

        Assert.True(await containers.StopAsync(id, TimeSpan.FromSeconds(1), ct));
        Assert.False(await containers.StopAsync(id, TimeSpan.FromSeconds(1), ct)); // already stopped: the engine's 304
        Assert.Equal("exited", (await containers.InspectAsync(id, ct)).State.Status);
        Assert.Empty(await containers.ListAsync(new ContainerListOptions(Filters: byLabel), ct));
        Assert.Equal("exited", Assert.Single(await containers.ListAsync(new ContainerListOptions(All: true, Filters: byLabel), ct)).State);

        Assert.True(await containers.StartAsync(id, ct));
        Assert.False(await containers.StartAsync(id, ct)); // already started
        Assert.True(await containers.RestartAsync(id, TimeSpan.FromSeconds(1), ct));
        Assert.True((await containers.InspectAsync(id, ct)).State.Running);

        Assert.True(await containers.KillAsync(id, "SIGKILL", ct));
        var killed = await containers.InspectAsync(id, ct);
        Assert.True(killed.State is { Running: false, ExitCode: 137 }, $"state after SIGKILL: {killed.State}");
        var notRunning = await Assert.ThrowsAsync<EngineApiException>(() => containers.KillAsync(id, null, ct));
        Assert.Equal(EngineErrorKind.Conflict, notRunning.Kind);

        var listedImage = Assert.Single(await images.ListAsync(false, new EngineFilters().Add("reference", reference), ct));
        Assert.Equal(imageId, listedImage.Id);
        Assert.Contains(reference, listedImage.RepoTags!);
        Assert.True(listedImage.Size > 0);
        var imageDetails = await images.InspectAsync(reference, ct);
        Assert.Equal((imageId, "linux"), (imageDetails.Id, imageDetails.Os));

        var inUse = await Assert.ThrowsAsync<EngineApiException>(() => images.RemoveAsync(imageId, force: false, ct));
        Assert.Equal(EngineErrorKind.Conflict, inUse.Kind);

        await containers.RemoveAsync(id, force: true, volumes: true, ct);
        var gone = await Assert.ThrowsAsync<EngineApiException>(() => containers.InspectAsync(id, ct));
        Assert.Equal(EngineErrorKind.NotFound, gone.Kind);
        Assert.Contains("No such container", gone.EngineMessage, StringComparison.Ordinal);

        var removed = await images.RemoveAsync(reference, force: false, ct);
        Assert.Contains(removed, r => r.Untagged == reference);
        Assert.Contains(removed, r => r.Deleted == imageId);
        Assert.Empty(await images.ListAsync(false, new EngineFilters().Add("reference", reference), ct));
    }

    [Fact]
    public async Task Unknown_objects_are_NotFound_and_a_failed_pull_carries_the_engine_message()
    {
        using var engine = Engine("manager", _swarm.ManagerSocketPath);
        var ct = CancellationToken.None;

        var container = await Assert.ThrowsAsync<EngineApiException>(() => new ContainerClient(engine).StopAsync("no-such-container-" + Guid.NewGuid().ToString("N"), null, ct));
        Assert.Equal((EngineErrorKind.NotFound, 404), (container.Kind, container.Status));
        Assert.Contains("No such container", container.EngineMessage, StringComparison.Ordinal);

        var images = new ImageClient(engine);
        var image = await Assert.ThrowsAsync<EngineApiException>(() => images.InspectAsync("dockyard-ctl/never:" + Guid.NewGuid().ToString("N"), ct));
        Assert.Equal(EngineErrorKind.NotFound, image.Kind);

        // Nothing listens on this loopback port: the engine fails the pull and says why.
        var registry = $"127.0.0.1:{LoopbackPorts.Free()}";
        var progress = new List<ImagePullProgress>();
        var pull = await Assert.ThrowsAsync<EngineApiException>(() =>
            images.PullAsync($"{registry}/team/app", "1.0", new RegistryCredentials("alice", "s3cret-pass", registry), progress.Add, ct));
        _output.WriteLine($"pull failed: {pull.Message} (status {pull.Status}, {progress.Count} progress messages)");
        Assert.Equal("manager", pull.Engine);
        Assert.Contains(registry, pull.EngineMessage, StringComparison.Ordinal);
        Assert.Contains("connection refused", pull.EngineMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", pull.Message, StringComparison.Ordinal);
    }

    private static EngineClient Engine(string name, string socketPath) => new(new EngineEndpoint(name, new Uri("unix://" + socketPath)));
}
