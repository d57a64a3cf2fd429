using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Control.Nodes;

/// <summary>
/// Node changes with effects in the swarm, through <c>/api/v1/nodes</c>: draining the worker moves a service's tasks to
/// the manager; a third engine that joins and leaves is removed once the managers see it down (and refused while up).
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class NodeDrainAndRemoveTests(SwarmFixture swarm, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Draining_the_worker_moves_its_tasks_to_the_manager()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await swarm.BusyboxAsync();
        var service = "drain-" + Guid.NewGuid().ToString("N")[..8];
        var worker = $"/api/v1/nodes/{swarm.WorkerNodeId}";
        try
        {
            await swarm.Manager.RunDockerAsync(
                "service", "create", "--detach", "--name", service, "--network", "host", "--replicas", "2", "--env", "PORT={{.Task.Slot}}",
                "--no-resolve-image", image, "/bin/busybox", "sleep", "300");
            var placed = await WaitForTasksAsync(service, nodes => nodes.Count == 2 && nodes.Contains(swarm.WorkerNodeId), "two running tasks, one on the worker");

            // The worker's page lists the task's container, read from the worker's own engine.
            var details = await admin.GetFromJsonAsync<JsonElement>(worker);
            Assert.Contains(details.GetProperty("containers").EnumerateArray(), c => c.GetProperty("name").GetString()!.StartsWith(service + ".", StringComparison.Ordinal));

            Assert.Equal("drain", (await NodesApiTests.PatchAsync(admin, worker, new { availability = "drain" }, HttpStatusCode.OK)).GetProperty("availability").GetString());
            var moved = await WaitForTasksAsync(service, nodes => nodes.Count == 2 && nodes.All(n => n == swarm.ManagerNodeId), "both running tasks on the manager");
            output.WriteLine($"tasks on {string.Join(", ", placed)} → {string.Join(", ", moved)}");
        }
        finally
        {
            await NodesApiTests.PatchAsync(admin, worker, new { availability = "active" }, HttpStatusCode.OK);
            await swarm.Manager.RunDockerUncheckedAsync("service", "rm", service);
        }

        Assert.Equal("active", (await swarm.Manager.RunDockerAsync("node", "inspect", "--format", "{{.Spec.Availability}}", swarm.WorkerNodeId)).StandardOutput.Trim());
    }

    [Fact]
    public async Task A_node_that_left_is_removed_and_one_still_up_is_refused_without_force()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var stopwatch = Stopwatch.StartNew();
        var third = new DockerDaemonFixture();
        string? nodeId = null;
        try
        {
            await third.InitializeAsync();
            var token = (await swarm.Manager.RunDockerAsync("swarm", "join-token", "--quiet", "worker")).StandardOutput.Trim();
            var address = $"127.0.0.1:{LoopbackPorts.Free()}";
            await third.RunDockerAsync("swarm", "join", "--token", token, "--advertise-addr", address, "--listen-addr", address, swarm.ManagerSwarmAddress);
            nodeId = (await third.RunDockerAsync("info", "--format", "{{.Swarm.NodeID}}")).StandardOutput.Trim();
            var path = $"/api/v1/nodes/{nodeId}";
            await WaitForStateAsync(admin, path, "ready");

            // Dockyard has no engine for it: the node page says so instead of failing.
            var details = await admin.GetFromJsonAsync<JsonElement>(path);
            Assert.Equal(JsonValueKind.Null, details.GetProperty("node").GetProperty("engine").ValueKind);
            Assert.Contains("No reachable Dockyard engine", details.GetProperty("engineMessage").GetString(), StringComparison.Ordinal);

            using (var up = await admin.DeleteAsync(path))
            {
                Assert.True(up.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"{(int)up.StatusCode}: {await up.Content.ReadAsStringAsync()}");
                Assert.Contains("is not down", (await up.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            await third.RunDockerAsync("swarm", "leave");
            await WaitForStateAsync(admin, path, "down");
            using (var removed = await admin.DeleteAsync(path))
            {
                await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, removed);
            }

            using (var gone = await admin.GetAsync(path))
            {
                await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, gone);
            }

            nodeId = null;
            Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/nodes")).GetProperty("items").GetArrayLength());
        }
        finally
        {
            await third.RunDockerUncheckedAsync("swarm", "leave", "--force");
            if (nodeId is not null)
            {
                await swarm.Manager.RunDockerUncheckedAsync("node", "rm", "--force", nodeId);
            }

            await third.DisposeAsync();
            output.WriteLine($"third engine: started, joined, left and removed in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        }
    }

    /// <summary>Waits (bounded) until the service's running tasks sit on nodes that satisfy <paramref name="done"/>; returns their node ids.</summary>
    private async Task<List<string>> WaitForTasksAsync(string service, Func<List<string>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        var last = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            var ids = (await swarm.Manager.RunDockerAsync("service", "ps", "--filter", "desired-state=running", "--quiet", service)).StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length > 0)
            {
                var tasks = (await swarm.Manager.RunDockerAsync(["inspect", "--type", "task", "--format", "{{.NodeID}} {{.Status.State}}", .. ids])).StandardOutput
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                last = [.. tasks.Where(t => t.EndsWith(" running", StringComparison.Ordinal)).Select(t => t.Split(' ')[0])];
                if (tasks.Length == last.Count && done(last))
                {
                    return last;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"not {what} within {Bound.TotalSeconds:0} s; running on: {string.Join(", ", last)}");
    }

    private static async Task WaitForStateAsync(HttpClient admin, string path, string state)
    {
        var deadline = DateTime.UtcNow + Bound;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            last = (await admin.GetFromJsonAsync<JsonElement>(path)).GetProperty("node").GetProperty("state").GetString() ?? string.Empty;
            if (last == state)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} was not {state} within {Bound.TotalSeconds:0} s (last: {last})");
    }
}
