using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Control.Stacks.Status;
using Dockyard.Server.Control.Stats;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// <c>GET /api/v1/stacks/{name}/tasks</c> and <c>/stats</c> on a stack made by <c>docker stack deploy</c> on the real
/// two-node swarm: a global service (one task per node, each holding 16 MiB in /dev/shm and waking 20 times a second),
/// labelled into its own collection. Tasks name both nodes; the stack's sum counts both containers (compared with
/// their own stats), per service, and counts a task that comes while watching (a service scaled from 0 to 1); a user without a grant gets 404, a view-only grantee 200;
/// <c>/events</c> shows the stack's service creates and container starts (and <c>/api/v1/events?stack=</c> another stack's none); the engine streams close after the
/// viewer leaves (<see cref="StackStatsHub"/>, <see cref="ContainerStatsHub"/>).
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class StackStatusTests(SwarmFixture swarm)
{
    private const long HeldBytes = 16L * 1024 * 1024;

    [Fact]
    public async Task A_global_stack_shows_its_tasks_on_both_nodes_and_sums_both_containers()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var stack = "status-" + run;
        var collection = "/stackstatus/" + run;
        var repository = "admin/stack-status-" + run;
        await RegistryImagePusher.PushAsync(swarm, server, repository, "v1");
        var registry = server.Server.BaseAddress.Authority;
        var compose = Path.Combine(Path.GetTempPath(), $"stack-status-{run}.yml");
        await File.WriteAllTextAsync(compose, $"""
            version: "3.8"
            x-hold: &hold
              image: {registry}/{repository}:v1
              command: ["/bin/busybox", "sh", "-c", "/bin/busybox dd if=/dev/zero of=/dev/shm/hold bs=1048576 count=16 2>/dev/null; while :; do /bin/busybox usleep 50000; done"]
              networks: [hostnet]
              stop_grace_period: 1s
            services:
              hold:
                <<: *hold
                deploy:
                  mode: global
                  labels:
                    dockyard.access.collection: "{collection}"
              extra:
                <<: *hold
                deploy:
                  replicas: 0
                  labels:
                    dockyard.access.collection: "{collection}"
            networks:
              hostnet:
                external: true
                name: host
            """);
        try
        {
            await swarm.Manager.RunDockerAsync("login", "-u", AdminBootstrapper.AdminUsername, "-p", ApiTestServer.AdminPassword, registry);
            try
            {
                await swarm.Manager.RunDockerAsync("stack", "deploy", "--with-registry-auth", "--compose-file", compose, stack);
            }
            finally
            {
                await swarm.Manager.RunDockerUncheckedAsync("logout", registry);
            }

            // Tasks: one running on each node, named by the node's hostname.
            var running = await RunningTasksAsync(admin, stack);
            Assert.Equal(new[] { swarm.ManagerNodeId, swarm.WorkerNodeId }.Order(), running.Select(t => t.GetProperty("nodeId").GetString()).Order());
            foreach (var task in running)
            {
                var hostname = (await swarm.Manager.RunDockerAsync("node", "inspect", "--format", "{{.Description.Hostname}}", task.GetProperty("nodeId").GetString()!)).StandardOutput.Trim();
                Assert.Equal(hostname, task.GetProperty("node").GetString());
                Assert.Equal(JsonValueKind.Null, task.GetProperty("slot").ValueKind);
            }

            // Access: no grant → 404 for both; view-only on the stack's collection → 200.
            var (_, stranger) = await server.UserAsync("stack-stranger-" + run);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/stacks/{stack}/tasks")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/stacks/{stack}/stats")).StatusCode);
            var viewerName = "stack-viewer-" + run;
            var (_, viewer) = await server.UserAsync(viewerName);
            using (var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = viewerName, role = "view-only", collection }))
            {
                await ProblemAssert.StatusAsync(HttpStatusCode.Created, grant);
            }

            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/stacks/{stack}/tasks")).StatusCode);

            // Events of the stack: its services' create and its task containers' start on both nodes. The viewer sees
            // the services' (labelled into the collection), not the containers' (unlabelled: the root's); 404 for the
            // stranger; none of them under another stack's filter.
            var stackEvents = await StackEventsAsync(admin, stack, running.Count);
            Assert.Contains(stackEvents, e => e.Type == "service" && e.Action == "create" && e.Name == stack + "_hold");
            Assert.Contains(stackEvents, e => e.Type == "service" && e.Action == "create" && e.Name == stack + "_extra");
            Assert.All(stackEvents, e => Assert.StartsWith(stack + "_", e.Name, StringComparison.Ordinal));
            var seen = JsonDocument.Parse(await viewer.GetStringAsync($"/api/v1/stacks/{stack}/events?limit=500")).RootElement.GetProperty("items").EnumerateArray()
                .Select(e => (Type: e.GetProperty("type").GetString(), Action: e.GetProperty("action").GetString(), Name: e.GetProperty("actor").GetProperty("name").GetString())).ToList();
            Assert.Contains((Type: "service", Action: "create", Name: stack + "_hold"), seen);
            Assert.DoesNotContain(seen, e => e.Type == "container");
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/stacks/{stack}/events")).StatusCode);
            var others = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/events?stack=other-{run}&limit=500")).RootElement.GetProperty("items");
            Assert.Empty(others.EnumerateArray());
            var all = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/events?stack={stack}&type=container&action=start&limit=500")).RootElement.GetProperty("items");
            Assert.Equal(running.Count, all.GetArrayLength());

            // Stats as the viewer: a sum in which both containers count.
            var containerHub = server.Get<ContainerStatsHub>();
            var stackHub = server.Get<StackStatsHub>();
            // Streams of earlier tests close after their linger.
            await WaitForAsync(() => containerHub.OpenEngineStreams == 0, ContainerStatsHub.Linger + TimeSpan.FromSeconds(10), () => $"{containerHub.OpenEngineStreams} engine stats streams open before");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            JsonElement sum;
            using (var response = await ContainerStreamClient.OpenEventsAsync(viewer, $"/api/v1/stacks/{stack}/stats", timeout.Token))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var events = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(timeout.Token));
                sum = await NextSumAsync(events, containerHub, holdTasks: 2, extraTasks: 0, timeout.Token);
                Assert.Equal(1, stackHub.OpenFeeds);

                // Tasks that come while watching are counted: the extra service scaled from 0 to 1.
                await swarm.Manager.RunDockerAsync("service", "scale", "--detach", stack + "_extra=1");
                var scaled = await NextSumAsync(events, containerHub, holdTasks: 2, extraTasks: 1, timeout.Token);
                Assert.True(scaled.GetProperty("memoryUsed").GetInt64() >= 3 * HeldBytes);
            }

            // Each node's container holds its 16 MiB: the stack's memory is the sum of both, not either one.
            var singles = new List<long>();
            foreach (var task in running)
            {
                var one = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/containers/{task.GetProperty("containerId").GetString()}/stats")).RootElement;
                singles.Add(one.GetProperty("memoryUsed").GetInt64());
            }

            var memory = sum.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("name").GetString() == stack + "_hold").GetProperty("memoryUsed").GetInt64();
            Assert.All(singles, single => Assert.InRange(single, HeldBytes, 4 * HeldBytes));
            Assert.InRange(memory, (long)(singles.Sum() * 0.8), (long)(singles.Sum() * 1.2));
            Assert.True(memory > singles.Max() + (HeldBytes / 2), $"the service's memory {memory} counts one container only ({string.Join(", ", singles)})");
            Assert.Equal(memory + sum.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("name").GetString() == stack + "_extra").GetProperty("memoryUsed").GetInt64(), sum.GetProperty("memoryUsed").GetInt64());
            Assert.True(sum.GetProperty("cpuPercent").GetDouble() > 0, "the containers wake 20 times a second");
            Assert.Empty(sum.GetProperty("warnings").EnumerateArray());

            // One JSON sum without event-stream.
            var single = JsonDocument.Parse(await viewer.GetStringAsync($"/api/v1/stacks/{stack}/stats")).RootElement;
            Assert.Equal(3, single.GetProperty("services").EnumerateArray().Sum(s => s.GetProperty("tasks").GetInt32()));
            Assert.Equal(JsonValueKind.Number, single.GetProperty("cpuPercent").ValueKind);

            // The viewers left: the stack watcher stops at once, the container streams after their linger.
            await WaitForAsync(() => stackHub.OpenFeeds == 0, TimeSpan.FromSeconds(5), () => $"{stackHub.OpenFeeds} stack watchers open");
            await WaitForAsync(() => containerHub.OpenEngineStreams == 0, ContainerStatsHub.Linger + TimeSpan.FromSeconds(10), () => $"{containerHub.OpenEngineStreams} engine stats streams open");
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("stack", "rm", stack);
            File.Delete(compose);
        }
    }

    [Fact]
    public async Task An_unknown_stack_is_404()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();

        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await admin.GetAsync("/api/v1/stacks/no-such-stack-" + Guid.NewGuid().ToString("N")[..8] + "/tasks"));
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await admin.GetAsync("/api/v1/stacks/no-such-stack/stats"));
    }

    /// <summary>
    /// The next sum that counts the given running task containers per service, each holding its memory, with a CPU
    /// figure, while exactly that many engine stats streams are open.
    /// </summary>
    private static async Task<JsonElement> NextSumAsync(ServerSentEventReader events, ContainerStatsHub containerHub, int holdTasks, int extraTasks, CancellationToken cancellationToken)
    {
        while (true)
        {
            var item = await events.NextAsync(cancellationToken);
            Assert.Equal("message", item?.Name);
            var sum = JsonDocument.Parse(item!.Data).RootElement;
            var services = sum.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()![(s.GetProperty("name").GetString()!.IndexOf('_', StringComparison.Ordinal) + 1)..]);
            Assert.Equal(new[] { "extra", "hold" }, services.Keys.Order());
            if (services["hold"].GetProperty("tasks").GetInt32() == holdTasks && services["extra"].GetProperty("tasks").GetInt32() == extraTasks
                && sum.GetProperty("cpuPercent").ValueKind == JsonValueKind.Number
                && services["hold"].GetProperty("memoryUsed").GetInt64() >= holdTasks * HeldBytes
                && services["extra"].GetProperty("memoryUsed").GetInt64() >= extraTasks * HeldBytes
                && containerHub.OpenEngineStreams == holdTasks + extraTasks)
            {
                return sum;
            }
        }
    }

    /// <summary>
    /// The stack's events once they include a start of each of its <paramref name="containers"/> running task
    /// containers (the consumer writes them within a moment; bounded wait).
    /// </summary>
    private static async Task<List<(string Type, string Action, string? Name)>> StackEventsAsync(HttpClient client, string stack, int containers)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync($"/api/v1/stacks/{stack}/events?limit=500");
            last = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var events = JsonDocument.Parse(last).RootElement.GetProperty("items").EnumerateArray()
                .Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("action").GetString()!, e.GetProperty("actor").GetProperty("name").GetString()))
                .ToList();
            if (events.Count(e => e.Item1 == "container" && e.Item2 == "start" && e.Item3?.StartsWith(stack + "_hold.", StringComparison.Ordinal) == true) >= containers)
            {
                return events;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the stack's events never showed {containers} container starts: {last}");
    }

    /// <summary>The running tasks of the stack's global service once there is one on each node (bounded wait).</summary>
    private static async Task<List<JsonElement>> RunningTasksAsync(HttpClient client, string stack)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync($"/api/v1/stacks/{stack}/tasks");
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var running = JsonDocument.Parse(last).RootElement.GetProperty("items").EnumerateArray()
                    .Where(t => t.GetProperty("state").GetString() == "running" && t.GetProperty("desiredState").GetString() == "running")
                    .Where(t => t.GetProperty("service").GetString() == stack + "_hold")
                    .ToList();
                if (running.Count == 2)
                {
                    return running;
                }
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException("the stack's two tasks were not running within 90 s: " + last);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, describe());
            await Task.Delay(50);
        }
    }
}
