using Dockyard.Control.Engines;
using Dockyard.Control.Nodes;
using Dockyard.Control.Swarm;
using Dockyard.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Control;

/// <summary>Swarm and node facades against the real two-engine swarm of <see cref="SwarmFixture"/>.</summary>
[Collection(SwarmCollection.Name)]
public sealed class SwarmNodeTests : IDisposable
{
    private readonly SwarmFixture _swarm;
    private readonly EngineClient _manager;
    private readonly EngineClient _worker;

    public SwarmNodeTests(SwarmFixture swarm, ITestOutputHelper output)
    {
        _swarm = swarm;
        _manager = new EngineClient(new EngineEndpoint("manager", new Uri("unix://" + swarm.ManagerSocketPath)));
        _worker = new EngineClient(new EngineEndpoint("worker", new Uri("unix://" + swarm.WorkerSocketPath)));
        output.WriteLine($"swarm of two engines (pids {swarm.Manager.DaemonPid}, {swarm.Worker.DaemonPid}) ready in {swarm.StartupTime.TotalSeconds:0.0} s");
    }

    public void Dispose()
    {
        _manager.Dispose();
        _worker.Dispose();
    }

    [Fact]
    public async Task Nodes_are_listed_and_updated_with_the_whole_spec_and_a_stale_version_is_a_conflict()
    {
        var nodes = new NodeClient(_manager);

        var all = await nodes.ListAsync(null, CancellationToken.None);
        Assert.Equal(2, all.Count);
        var manager = Assert.Single(all, n => n.Id == _swarm.ManagerNodeId);
        var worker = Assert.Single(all, n => n.Id == _swarm.WorkerNodeId);
        Assert.Equal(("manager", "ready", "active"), (manager.Role, manager.State, manager.Availability));
        Assert.True(manager.Manager is { Leader: true, Reachability: "reachable" }, $"manager status: {manager.Manager}");
        Assert.Equal(_swarm.ManagerSwarmAddress, manager.Manager!.Address);
        Assert.Equal(("worker", "ready", "active"), (worker.Role, worker.State, worker.Availability));
        Assert.Null(worker.Manager);
        Assert.Equal("127.0.0.1", worker.Address);
        Assert.Equal("linux", worker.Os);
        Assert.True(worker.NanoCpus > 0 && worker.MemoryBytes > 0, $"resources: {worker.NanoCpus} ns CPU, {worker.MemoryBytes} bytes");
        Assert.False(string.IsNullOrEmpty(worker.EngineVersion));
        Assert.False(string.IsNullOrEmpty(worker.Hostname));

        var workers = await nodes.ListAsync(new EngineFilters().Add("role", "worker"), CancellationToken.None);
        Assert.Equal(_swarm.WorkerNodeId, Assert.Single(workers).Id);

        // Drain with a label, then change only the labels: the availability (not part of that change) must survive.
        var label = Guid.NewGuid().ToString("N");
        await nodes.UpdateAsync(worker.Id, worker.Version, new NodeSpecChange(Availability: "drain", Labels: new Dictionary<string, string> { ["dockyard.test"] = label }), CancellationToken.None);
        var drained = await nodes.InspectAsync(worker.Id, CancellationToken.None);
        Assert.Equal("drain", drained.Availability);
        Assert.Equal(label, drained.Labels["dockyard.test"]);
        Assert.True(drained.Version > worker.Version, $"version {worker.Version} → {drained.Version}");
        Assert.Equal("drain", (await _swarm.Manager.RunDockerAsync("node", "inspect", "--format", "{{.Spec.Availability}}", worker.Id)).StandardOutput.Trim());

        var stale = await Assert.ThrowsAsync<EngineApiException>(() =>
            nodes.UpdateAsync(worker.Id, worker.Version, new NodeSpecChange(Availability: "active"), CancellationToken.None));
        Assert.Equal(EngineErrorKind.Conflict, stale.Kind);
        Assert.Contains("out of sequence", stale.EngineMessage, StringComparison.Ordinal);
        Assert.Equal("drain", (await nodes.InspectAsync(worker.Id, CancellationToken.None)).Availability);

        await nodes.UpdateAsync(worker.Id, drained.Version, new NodeSpecChange(Labels: new Dictionary<string, string> { ["dockyard.other"] = "x" }), CancellationToken.None);
        var relabelled = await nodes.InspectAsync(worker.Id, CancellationToken.None);
        Assert.Equal("drain", relabelled.Availability);
        Assert.Equal(new Dictionary<string, string> { ["dockyard.other"] = "x" }, relabelled.Labels);

        await nodes.UpdateAsync(worker.Id, relabelled.Version, new NodeSpecChange(Availability: "active", Labels: new Dictionary<string, string>()), CancellationToken.None);
        var restored = await nodes.InspectAsync(worker.Id, CancellationToken.None);
        Assert.Equal("active", restored.Availability);
        Assert.Empty(restored.Labels);

        var unknown = await Assert.ThrowsAsync<EngineApiException>(() => nodes.InspectAsync("nosuchnode0000000000000", CancellationToken.None));
        Assert.Equal(EngineErrorKind.NotFound, unknown.Kind);

        // A worker engine cannot answer for the swarm.
        var notManager = await Assert.ThrowsAsync<EngineApiException>(() => new NodeClient(_worker).ListAsync(null, CancellationToken.None));
        Assert.Equal(EngineErrorKind.NotManager, notManager.Kind);
    }

    [Fact]
    public async Task Join_tokens_rotate_and_the_rest_of_the_swarm_spec_survives()
    {
        var swarm = new SwarmClient(_manager);
        // A spec field the facade does not model: it must come back unchanged from the read-modify-write update.
        await _swarm.Manager.RunDockerAsync("swarm", "update", "--task-history-limit", "3");

        var before = await swarm.InspectAsync(CancellationToken.None);
        Assert.StartsWith("SWMTKN-", before.JoinTokens.Worker, StringComparison.Ordinal);
        Assert.Equal((await _swarm.Manager.RunDockerAsync("swarm", "join-token", "--quiet", "worker")).StandardOutput.Trim(), before.JoinTokens.Worker);
        Assert.Equal((await _swarm.Manager.RunDockerAsync("swarm", "join-token", "--quiet", "manager")).StandardOutput.Trim(), before.JoinTokens.Manager);
        Assert.DoesNotContain(before.JoinTokens.Worker, before.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(before.Id));

        var afterWorker = await swarm.RotateJoinTokenAsync(SwarmJoinRole.Worker, CancellationToken.None);
        Assert.NotEqual(before.JoinTokens.Worker, afterWorker.JoinTokens.Worker);
        Assert.Equal(before.JoinTokens.Manager, afterWorker.JoinTokens.Manager);
        Assert.True(afterWorker.Version.Index > before.Version.Index, $"version {before.Version.Index} → {afterWorker.Version.Index}");
        Assert.Equal(afterWorker.JoinTokens.Worker, (await _swarm.Manager.RunDockerAsync("swarm", "join-token", "--quiet", "worker")).StandardOutput.Trim());

        var afterManager = await swarm.RotateJoinTokenAsync(SwarmJoinRole.Manager, CancellationToken.None);
        Assert.NotEqual(before.JoinTokens.Manager, afterManager.JoinTokens.Manager);
        Assert.Equal(afterWorker.JoinTokens.Worker, afterManager.JoinTokens.Worker);

        var limit = await _swarm.Manager.RunDockerAsync("info", "--format", "{{.Swarm.Cluster.Spec.Orchestration.TaskHistoryRetentionLimit}}");
        Assert.Equal("3", limit.StandardOutput.Trim());

        var notManager = await Assert.ThrowsAsync<EngineApiException>(() => new SwarmClient(_worker).InspectAsync(CancellationToken.None));
        Assert.Equal(EngineErrorKind.NotManager, notManager.Kind);
    }
}
