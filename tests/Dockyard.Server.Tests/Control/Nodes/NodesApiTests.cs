using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Audit;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Nodes;

/// <summary>
/// <c>/api/v1/nodes</c> and <c>/api/v1/swarm/join</c> against the real two-engine swarm of <see cref="SwarmFixture"/>:
/// the fields of both nodes, label and availability changes decided in the node's collection (moving needs rights in
/// both collections) and audited, and join tokens for administrators only. Every node change is undone in finally.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class NodesApiTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Lists_both_nodes_with_their_fields_and_shows_what_runs_on_one()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await swarm.BusyboxAsync();

        var items = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/nodes")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([swarm.ManagerNodeId, swarm.WorkerNodeId], items.Select(n => n.GetProperty("id").GetString()));
        var manager = items[0];
        var worker = items[1];
        Assert.Equal(("manager", "active", "ready", SwarmFixture.ManagerEngine, "/"), Fields(manager));
        Assert.True(manager.GetProperty("manager").GetProperty("leader").GetBoolean());
        Assert.Equal("reachable", manager.GetProperty("manager").GetProperty("reachability").GetString());
        Assert.Equal(swarm.ManagerSwarmAddress, manager.GetProperty("manager").GetProperty("address").GetString());
        Assert.Equal(("worker", "active", "ready", SwarmFixture.WorkerEngine, "/"), Fields(worker));
        Assert.Equal(JsonValueKind.Null, worker.GetProperty("manager").ValueKind);
        foreach (var node in items)
        {
            Assert.Equal("linux", node.GetProperty("os").GetString());
            Assert.False(string.IsNullOrEmpty(node.GetProperty("architecture").GetString()));
            Assert.False(string.IsNullOrEmpty(node.GetProperty("hostname").GetString()));
            Assert.False(string.IsNullOrEmpty(node.GetProperty("engineVersion").GetString()));
            Assert.Equal("127.0.0.1", node.GetProperty("address").GetString());
            Assert.True(node.GetProperty("cpus").GetDouble() > 0 && node.GetProperty("memoryBytes").GetInt64() > 0, node.ToString());
            Assert.Equal(JsonValueKind.Object, node.GetProperty("labels").ValueKind);
            Assert.NotNull(node.GetProperty("statusMessage").GetString());
        }

        var name = "on-worker-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", name, image, "/bin/busybox", "sleep", "120")).StandardOutput.Trim();
        try
        {
            var details = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/nodes/{swarm.WorkerNodeId}");
            Assert.Equal(swarm.WorkerNodeId, details.GetProperty("node").GetProperty("id").GetString());
            Assert.Equal(JsonValueKind.Null, details.GetProperty("engineMessage").ValueKind);
            var container = Assert.Single(details.GetProperty("containers").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
            Assert.Equal((name, image, "running"), (container.GetProperty("name").GetString(), container.GetProperty("image").GetString(), container.GetProperty("state").GetString()));
            var used = Assert.Single(details.GetProperty("images").EnumerateArray(), i => i.GetProperty("id").GetString() == container.GetProperty("imageId").GetString());
            Assert.Contains(image, used.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Contains(name, used.GetProperty("containers").EnumerateArray().Select(t => t.GetString()));

            // The manager's engine does not run it: the manager node's page does not list it.
            var onManager = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/nodes/{swarm.ManagerNodeId}");
            Assert.DoesNotContain(onManager.GetProperty("containers").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", id);
        }

        using var unknown = await admin.GetAsync("/api/v1/nodes/nosuchnode0000000000000");
        Assert.Equal("Node nosuchnode0000000000000 not found.", (await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, unknown)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Changes_are_decided_in_the_nodes_collection_moving_needs_both_and_every_attempt_is_audited()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var home = $"/nodes-{suffix}/a";
        var away = $"/nodes-{suffix}/b";
        var (_, viewer) = await server.UserAsync("nv-" + suffix);
        var (_, stranger) = await server.UserAsync("nn-" + suffix);
        var (_, operatorClient) = await server.UserAsync("no-" + suffix);
        await GrantAsync(admin, "nv-" + suffix, "view-only", home);
        await GrantAsync(admin, "no-" + suffix, "full-control", home);
        var after = await LastAuditIdAsync(server);
        var node = $"/api/v1/nodes/{swarm.WorkerNodeId}";
        try
        {
            var labelled = await PatchAsync(admin, node, new { labels = new Dictionary<string, string> { ["dockyard.access.collection"] = home, ["dockyard.test"] = "<b>x</b>" } }, HttpStatusCode.OK);
            Assert.Equal(home, labelled.GetProperty("collection").GetString());
            Assert.Equal("<b>x</b>", labelled.GetProperty("labels").GetProperty("dockyard.test").GetString());
            Assert.Equal(home, (await swarm.Manager.RunDockerAsync("node", "inspect", "--format", "{{index .Spec.Labels \"dockyard.access.collection\"}}", swarm.WorkerNodeId)).StandardOutput.Trim());

            // View-only in the node's collection: sees it (and only it), may not change it.
            var seen = (await viewer.GetFromJsonAsync<JsonElement>("/api/v1/nodes")).GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString());
            Assert.Equal([swarm.WorkerNodeId], seen);
            Assert.Equal(swarm.WorkerNodeId, (await viewer.GetFromJsonAsync<JsonElement>(node)).GetProperty("node").GetProperty("id").GetString());
            await PatchAsync(viewer, node, new { availability = "drain" }, HttpStatusCode.Forbidden);

            // No grant at all: an empty list, and the node does not exist for them.
            Assert.Empty((await stranger.GetFromJsonAsync<JsonElement>("/api/v1/nodes")).GetProperty("items").EnumerateArray());
            using (var hidden = await stranger.GetAsync(node))
            {
                await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, hidden);
            }

            await PatchAsync(stranger, node, new { availability = "drain" }, HttpStatusCode.NotFound);

            // Full control in the collection: availability round trip.
            Assert.Equal("pause", (await PatchAsync(operatorClient, node, new { availability = "pause" }, HttpStatusCode.OK)).GetProperty("availability").GetString());
            Assert.Equal("pause", (await swarm.Manager.RunDockerAsync("node", "inspect", "--format", "{{.Spec.Availability}}", swarm.WorkerNodeId)).StandardOutput.Trim());
            Assert.Equal("active", (await PatchAsync(operatorClient, node, new { availability = "active" }, HttpStatusCode.OK)).GetProperty("availability").GetString());

            // Moving the node out needs NodeManage where it goes as well.
            var move = new { labels = new Dictionary<string, string> { ["dockyard.access.collection"] = away } };
            await PatchAsync(operatorClient, node, move, HttpStatusCode.Forbidden);
            Assert.Equal(home, (await admin.GetFromJsonAsync<JsonElement>(node)).GetProperty("node").GetProperty("collection").GetString());
            await GrantAsync(admin, "no-" + suffix, "full-control", away);
            Assert.Equal(away, (await PatchAsync(operatorClient, node, move, HttpStatusCode.OK)).GetProperty("collection").GetString());

            using (var invalid = await PatchRawAsync(operatorClient, node, new { availability = "sideways" }))
            {
                await ProblemAssert.InvalidAsync("availability", invalid);
            }
        }
        finally
        {
            await PatchAsync(admin, node, new { labels = new Dictionary<string, string>(), availability = "active" }, HttpStatusCode.OK);
        }

        var entries = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, after)).Where(e => e.Action == "node.update").ToList();
        Assert.Equal(
            ["admin success", $"nv-{suffix} denied", $"nn-{suffix} denied", $"no-{suffix} success", $"no-{suffix} success", $"no-{suffix} denied", $"no-{suffix} success", $"no-{suffix} failed", "admin success"],
            entries.Select(e => $"{e.ActorName} {e.Outcome}"));
        Assert.All(entries, e => Assert.Equal("nodes/" + swarm.WorkerNodeId, e.Resource));
        Assert.Contains("\"availability\":\"pause\"", entries[3].Details, StringComparison.Ordinal);
        Assert.Contains($"\"collection\":\"{away}\"", entries[5].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_commands_are_for_administrators_and_rotation_is_audited_without_the_token()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (_, rooted) = await server.UserAsync("nj-" + suffix);
        await GrantAsync(admin, "nj-" + suffix, "full-control", "/");
        var scopedAdmin = await server.ClientForAsync(await server.UserIdAsync("admin"), [new TokenScope("**", RepositoryActions.All)]);
        var after = await LastAuditIdAsync(server);

        var join = await admin.GetFromJsonAsync<JsonElement>("/api/v1/swarm/join");
        var workerToken = (await swarm.Manager.RunDockerAsync("swarm", "join-token", "--quiet", "worker")).StandardOutput.Trim();
        var managerToken = (await swarm.Manager.RunDockerAsync("swarm", "join-token", "--quiet", "manager")).StandardOutput.Trim();
        Assert.Equal($"docker swarm join --token {workerToken} {swarm.ManagerSwarmAddress}", join.GetProperty("workerCommand").GetString());
        Assert.Equal($"docker swarm join --token {managerToken} {swarm.ManagerSwarmAddress}", join.GetProperty("managerCommand").GetString());

        // Full control over every node is not administration; nor is an administrator's scoped token.
        foreach (var client in new[] { rooted, scopedAdmin })
        {
            using (var read = await client.GetAsync("/api/v1/swarm/join"))
            {
                await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, read);
            }

            using var rotate = await client.PostAsJsonAsync("/api/v1/swarm/join/rotate", new { role = "worker" });
            await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, rotate);
        }

        Assert.Equal(workerToken, (await swarm.Manager.RunDockerAsync("swarm", "join-token", "--quiet", "worker")).StandardOutput.Trim());
        using (var rotated = await admin.PostAsJsonAsync("/api/v1/swarm/join/rotate", new { role = "worker" }))
        {
            var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, rotated);
            var fresh = (await swarm.Manager.RunDockerAsync("swarm", "join-token", "--quiet", "worker")).StandardOutput.Trim();
            Assert.NotEqual(workerToken, fresh);
            Assert.Equal(fresh, body.GetProperty("workerToken").GetString());
            Assert.Equal(managerToken, body.GetProperty("managerToken").GetString());
        }

        using (var invalid = await admin.PostAsJsonAsync("/api/v1/swarm/join/rotate", new { role = "everyone" }))
        {
            await ProblemAssert.InvalidAsync("role", invalid);
        }

        var entries = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, after)).Where(e => e.Action == "swarm.join-token.rotate").ToList();
        Assert.Equal([$"nj-{suffix} denied", "admin denied", "admin success", "admin failed"], entries.Select(e => $"{e.ActorName} {e.Outcome}"));
        Assert.Contains("\"role\":\"worker\"", entries[2].Details, StringComparison.Ordinal);
        var all = await AuditTestServer.EntriesAfterAsync(server.Server.Services, after);
        Assert.DoesNotContain(all, e => $"{e.Details} {e.Reason} {e.Resource}".Contains("SWMTKN", StringComparison.Ordinal));
    }

    private static (string?, string?, string?, string?, string?) Fields(JsonElement node) => (
        node.GetProperty("role").GetString(), node.GetProperty("availability").GetString(), node.GetProperty("state").GetString(),
        node.GetProperty("engine").GetString(), node.GetProperty("collection").GetString());

    internal static async Task GrantAsync(HttpClient admin, string user, string role, string collection)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = user, role, collection });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, response);
    }

    internal static async Task<JsonElement> PatchAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await PatchRawAsync(client, path, body);
        return await ProblemAssert.StatusAsync(expected, response);
    }

    private static Task<HttpResponseMessage> PatchRawAsync(HttpClient client, string path, object body) =>
        client.PatchAsync(path, JsonContent.Create(body));

    private static async Task<long> LastAuditIdAsync(ApiTestServer server) =>
        (await AuditTestServer.EntriesAfterAsync(server.Server.Services, 0)).Select(e => e.Id).DefaultIfEmpty(0).Max();
}
