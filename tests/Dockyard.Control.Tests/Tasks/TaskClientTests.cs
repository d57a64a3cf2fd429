using System.Net;
using Dockyard.Control.Engines;
using Dockyard.Control.Tasks;
using Dockyard.Control.Tests.Infrastructure;

namespace Dockyard.Control.Tests.Tasks;

public sealed class TaskClientTests
{
    [Fact]
    public async Task List_SendsFiltersAndFlattensStatusAndContainer()
    {
        const string tasks = """
            [{"ID":"t1","ServiceID":"s1","Slot":2,"NodeID":"n1","DesiredState":"running",
              "Status":{"State":"running","Message":"started","ContainerStatus":{"ContainerID":"c1","PID":12}},
              "Spec":{"ContainerSpec":{"Image":"busybox@sha256:abc"}},
              "CreatedAt":"2026-12-01T10:00:00Z","UpdatedAt":"2026-12-01T10:00:05.5Z"},
             {"ID":"t2","ServiceID":"s2","NodeID":"","DesiredState":"running",
              "Status":{"State":"pending","Message":"pending task scheduling","Err":"no suitable node (scheduling constraints not satisfied on 2 nodes)"},
              "Spec":{"ContainerSpec":{"Image":"busybox"}}}]
            """;
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, tasks));
        using var owned = client;

        var list = await new TaskClient(client).ListAsync(
            new EngineFilters().Add("label", "com.docker.stack.namespace=app").Add("desired-state", "running"), CancellationToken.None);

        Assert.Equal(
            "/v1.41/tasks?filters=%7B%22desired-state%22%3A%5B%22running%22%5D%2C%22label%22%3A%5B%22com.docker.stack.namespace%3Dapp%22%5D%7D",
            engine.Requests[0].PathAndQuery);
        var running = list[0];
        Assert.Equal(("t1", "s1", 2L, "n1", "c1"), (running.Id, running.ServiceId, running.Slot, running.NodeId, running.ContainerId));
        Assert.Equal(("running", "running", "started", (string?)null), (running.DesiredState, running.State, running.Message, running.Error));
        Assert.Equal("busybox@sha256:abc", running.Image);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 5, 500, TimeSpan.Zero), running.UpdatedAt);
        var pending = list[1];
        Assert.Equal(((long?)null, (string?)null, (string?)null, "pending"), (pending.Slot, pending.NodeId, pending.ContainerId, pending.State));
        Assert.StartsWith("no suitable node", pending.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_OnAWorker_IsNotManager()
    {
        var (client, _) = ScriptedEngine.Create(_ =>
            (HttpStatusCode.ServiceUnavailable, """{"message":"This node is not a swarm manager."}"""));
        using var owned = client;

        var ex = await Assert.ThrowsAsync<EngineApiException>(() => new TaskClient(client).ListAsync(null, CancellationToken.None));

        Assert.Equal(EngineErrorKind.NotManager, ex.Kind);
    }
}
