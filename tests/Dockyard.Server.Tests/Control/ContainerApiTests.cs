using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Audit;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// <c>/api/v1/containers</c> against the two engines of <see cref="SwarmFixture"/>: one list over both nodes with its
/// filters, sort and system containers; the lifecycle of a container on the WORKER through the API, with its audit rows.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ContainerApiTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Lists_both_nodes_with_filters_sort_and_system_containers()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await swarm.BusyboxAsync();
        var run = "ls" + Guid.NewGuid().ToString("N")[..8];
        var a = (await swarm.Manager.RunDockerAsync("run", "-d", "--network", "none", "--name", run + "-a", "--label", "tier=web", "--label", "dockyard.access.collection=/lists/" + run, image, "/bin/busybox", "sleep", "300")).StandardOutput.Trim();
        var b = (await swarm.Worker.RunDockerAsync("create", "--network", "none", "--name", run + "-b", image, "/bin/busybox", "true")).StandardOutput.Trim();
        var system = (await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", run + "-sys", "--label", "dockyard.system=true", image, "/bin/busybox", "sleep", "300")).StandardOutput.Trim();
        try
        {
            Assert.Equal([run + "-a"], await NamesAsync(admin, $"name={run}"));
            var all = await ListAsync(admin, $"all=true&name={run}&sort=name");
            Assert.Empty(all.GetProperty("warnings").EnumerateArray());
            var items = all.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(
                [(a, run + "-a", "manager", swarm.ManagerNodeId, "running", "/lists/" + run), (b, run + "-b", "worker", swarm.WorkerNodeId, "created", "/")],
                items.Select(i => (i.GetProperty("id").GetString(), i.GetProperty("name").GetString(), i.GetProperty("engine").GetString(), i.GetProperty("nodeId").GetString(), i.GetProperty("state").GetString(), i.GetProperty("collection").GetString())));
            Assert.Equal("web", items[0].GetProperty("labels").GetProperty("tier").GetString());
            Assert.Equal(image, items[0].GetProperty("image").GetString());

            Assert.Equal([run + "-b", run + "-a"], await NamesAsync(admin, $"all=true&name={run}&sort=name&order=desc"));
            Assert.Equal([run + "-a", run + "-b", run + "-sys"], await NamesAsync(admin, $"all=true&name={run}&sort=name&system=true"));
            Assert.Equal([run + "-b"], await NamesAsync(admin, $"all=true&name={run}&node=worker"));
            Assert.Equal([run + "-b"], await NamesAsync(admin, $"all=true&name={run}&node={swarm.WorkerNodeId}"));
            Assert.Equal([run + "-b"], await NamesAsync(admin, $"name={run}&status=created"));
            Assert.Equal([run + "-a"], await NamesAsync(admin, $"all=true&name={run}&label=tier%3Dweb"));
            Assert.Equal([run + "-a", run + "-b"], await NamesAsync(admin, $"all=true&name={run}&image=busybox&sort=name"));
            Assert.Empty(await NamesAsync(admin, $"all=true&name={run}&image=no-such-image"));
            Assert.Equal(2, (await NamesAsync(admin, $"all=true&name={run}&sort=node")).Count);

            using (var badSort = await admin.GetAsync("/api/v1/containers?sort=size"))
            {
                await ProblemAssert.InvalidAsync("sort", badSort);
            }

            using (var badStatus = await admin.GetAsync("/api/v1/containers?status=sleeping"))
            {
                await ProblemAssert.InvalidAsync("status", badStatus);
            }

            // A user without grants sees none of them; the list is still 200 (an empty list is not an error).
            var (_, nobody) = await server.UserAsync(run + "-nobody");
            Assert.Empty(await NamesAsync(nobody, $"all=true&name={run}&system=true"));
            using var anonymous = await server.Anonymous().GetAsync("/api/v1/containers");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        finally
        {
            await Task.WhenAll(
                swarm.Manager.RunDockerUncheckedAsync("rm", "-f", a),
                swarm.Worker.RunDockerUncheckedAsync("rm", "-f", b, system));
        }
    }

    [Fact]
    public async Task Lifecycle_of_a_worker_container_through_the_api_is_audited()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await swarm.BusyboxAsync();
        var run = "lc" + Guid.NewGuid().ToString("N")[..8];
        var collection = "/life/" + run;
        var id = (await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", run, "--label", "dockyard.access.collection=" + collection, image, "/bin/busybox", "sleep", "300")).StandardOutput.Trim();
        try
        {
            var (_, operator_) = await server.UserAsync(run + "-op");
            var (_, viewer) = await server.UserAsync(run + "-view");
            await GrantAsync(admin, run + "-op", "restricted-control", collection);
            await GrantAsync(admin, run + "-view", "view-only", collection);
            var after = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, 0)).Select(e => e.Id).DefaultIfEmpty(0).Max();

            var inspected = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await viewer.GetAsync($"/api/v1/containers/{run}"));
            Assert.Equal((id, "worker", swarm.WorkerNodeId, collection, "running"), (inspected.GetProperty("id").GetString(), inspected.GetProperty("engine").GetString(), inspected.GetProperty("nodeId").GetString(), inspected.GetProperty("collection").GetString(), inspected.GetProperty("state").GetProperty("status").GetString()));
            Assert.Equal(["/bin/busybox", "sleep", "300"], inspected.GetProperty("config").GetProperty("cmd").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("none", inspected.GetProperty("hostConfig").GetProperty("networkMode").GetString());
            Assert.Equal(id, inspected.GetProperty("raw").GetProperty("Id").GetString());

            await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await viewer.PostAsync($"/api/v1/containers/{run}/stop", null));
            Assert.Equal((true, "stopped"), await ActAsync(operator_, run, "stop?timeout=0"));
            Assert.Equal((false, "already stopped"), await ActAsync(operator_, run, "stop"));
            Assert.Equal((true, "started"), await ActAsync(operator_, run, "start"));
            Assert.Equal((true, "paused"), await ActAsync(operator_, id[..12], "pause"));
            Assert.Equal("paused", (await ProblemAssert.StatusAsync(HttpStatusCode.OK, await viewer.GetAsync($"/api/v1/containers/{id}"))).GetProperty("state").GetProperty("status").GetString());
            Assert.Equal((true, "unpaused"), await ActAsync(operator_, run, "unpause"));
            await ProblemAssert.InvalidAsync("signal", await operator_.PostAsync($"/api/v1/containers/{run}/kill?signal=%24(reboot)", null));
            Assert.Equal((true, "signalled"), await ActAsync(operator_, run, "kill?signal=SIGKILL"));
            await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, await operator_.PostAsync($"/api/v1/containers/{run}/kill", null));
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await operator_.PostAsync($"/api/v1/containers/{run}-nope/stop", null));
            await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, await operator_.DeleteAsync($"/api/v1/containers/{run}"));
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, await viewer.GetAsync($"/api/v1/containers/{id}"));
            var gone = await swarm.Worker.RunDockerUncheckedAsync("inspect", id);
            Assert.NotEqual(0, gone.ExitCode);

            var entries = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, after))
                .Where(e => e.Action.StartsWith("container.", StringComparison.Ordinal) && (e.Resource ?? string.Empty).StartsWith("containers/" + run, StringComparison.Ordinal)).ToList();
            Assert.Equal(
                [
                    $"container.stop denied {run}-view", $"container.stop success {run}-op", $"container.stop success {run}-op", $"container.start success {run}-op",
                    $"container.pause success {run}-op", $"container.unpause success {run}-op", $"container.kill success {run}-op", $"container.kill failed {run}-op",
                    $"container.stop failed {run}-op", $"container.remove success {run}-op",
                ],
                entries.Select(e => $"{e.Action} {e.Outcome} {e.ActorName}"));
            Assert.All(entries.Where(e => e.Resource == "containers/" + run), e =>
            {
                Assert.Contains($"\"containerId\":\"{id}\"", e.Details ?? string.Empty, StringComparison.Ordinal);
                Assert.Contains("\"engine\":\"worker\"", e.Details ?? string.Empty, StringComparison.Ordinal);
                Assert.Contains($"\"node\":\"{swarm.WorkerNodeId}\"", e.Details ?? string.Empty, StringComparison.Ordinal);
            });
            Assert.Contains("\"changed\":false", entries[2].Details ?? string.Empty, StringComparison.Ordinal);
            Assert.Contains("\"signal\":\"SIGKILL\"", entries[6].Details ?? string.Empty, StringComparison.Ordinal);
            Assert.Equal("containers/" + run + "-nope", entries[8].Resource);
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", id);
        }
    }

    private static async Task GrantAsync(HttpClient admin, string user, string role, string collection)
    {
        using var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = user, role, collection });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, grant);
    }

    private static async Task<(bool Changed, string Message)> ActAsync(HttpClient client, string reference, string action)
    {
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await client.PostAsync($"/api/v1/containers/{reference}/{action}", null));
        return (body.GetProperty("changed").GetBoolean(), body.GetProperty("message").GetString()!);
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        await ProblemAssert.StatusAsync(HttpStatusCode.OK, await client.GetAsync("/api/v1/containers?" + query));

    private static async Task<List<string>> NamesAsync(HttpClient client, string query) =>
        [.. (await ListAsync(client, query)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];
}
