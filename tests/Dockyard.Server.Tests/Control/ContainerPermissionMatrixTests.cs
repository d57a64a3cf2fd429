using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// Roles × operations on real containers on BOTH swarm nodes, through the real HTTP API. Each role gets a fresh user,
/// a grant (POST /api/v1/grants) on its own collection <c>/matrix/&lt;run&gt;/&lt;role&gt;</c> and a container on each node
/// labeled into it; every operation of <see cref="Table"/> runs, in order, against both containers and must answer
/// the cell's status. A grant on a sibling collection shows nothing; one on the parent is inherited.
/// To cover another operation, add one row: its name, how to perform it, the statuses.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ContainerPermissionMatrixTests(SwarmFixture swarm)
{
    /// <summary>The columns of <see cref="Table"/>.</summary>
    private static readonly string[] Roles = ["none", "view-only", "restricted-control", "scheduler", "full-control"];

    /// <summary>
    /// Operation, how it is performed, and the expected status per role (in <see cref="Roles"/> order). "list" answers
    /// 200 when both containers are in the caller's list and 404 when neither is. Rows run top to bottom.
    /// </summary>
    private static readonly (string Operation, Func<HttpClient, MatrixContainer, Task<HttpStatusCode>> Perform, int[] Expected)[] Table =
    [
        ("list", ListAsync, [404, 200, 200, 404, 200]),
        ("inspect", (client, c) => StatusAsync(client.GetAsync($"/api/v1/containers/{c.Id}")), [404, 200, 200, 404, 200]),
        ("exec", ExecAsync, [404, 403, 403, 404, 101]),
        ("stop", (client, c) => StatusAsync(client.PostAsync($"/api/v1/containers/{c.Id}/stop?timeout=0", null)), [404, 403, 200, 404, 200]),
        ("start", (client, c) => StatusAsync(client.PostAsync($"/api/v1/containers/{c.Id}/start", null)), [404, 403, 200, 404, 200]),
        ("remove", (client, c) => StatusAsync(client.DeleteAsync($"/api/v1/containers/{c.Id}?force=true")), [404, 403, 204, 404, 204]),
    ];

    [Fact]
    public async Task Every_role_gets_the_status_of_its_cell_on_both_nodes()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await swarm.BusyboxAsync();
        var run = "m" + Guid.NewGuid().ToString("N")[..8];
        var created = new List<(DockerDaemonFixture Engine, string Id)>();
        try
        {
            var containers = new Dictionary<string, MatrixContainer[]>();
            await Task.WhenAll(Roles.Select(async role =>
            {
                var collection = $"/matrix/{run}/{role}";
                var pair = await Task.WhenAll(
                    RunAsync(swarm.Manager, $"{run}-{role}-m", collection, swarm.ManagerNodeId),
                    RunAsync(swarm.Worker, $"{run}-{role}-w", collection, swarm.WorkerNodeId));
                lock (containers)
                {
                    containers[role] = pair;
                }
            }));

            var failures = new List<string>();
            for (var column = 0; column < Roles.Length; column++)
            {
                var role = Roles[column];
                var client = await UserWithGrantAsync(server, admin, $"{run}-{role}", role, $"/matrix/{run}/{role}");
                foreach (var (operation, perform, expected) in Table)
                {
                    foreach (var container in containers[role])
                    {
                        var status = (int)await perform(client, container);
                        if (status != expected[column])
                        {
                            failures.Add($"{role} × {operation} on the {container.Node} container: {status}, expected {expected[column]}");
                        }
                    }
                }
            }

            // The view-only containers are still there (that role may not remove): a sibling's grant does not reach
            // them, a grant on the parent collection does.
            var viewOnly = containers["view-only"];
            var sibling = await UserWithGrantAsync(server, admin, run + "-sibling", "full-control", $"/matrix/{run}/view-only-sibling");
            var parent = await UserWithGrantAsync(server, admin, run + "-parent", "view-only", $"/matrix/{run}");
            foreach (var container in viewOnly)
            {
                failures.AddRange(await ExpectAsync("sibling", sibling, container, list: 404, inspect: 404));
                failures.AddRange(await ExpectAsync("parent", parent, container, list: 200, inspect: 200));
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }
        finally
        {
            await Task.WhenAll(created.Select(c => c.Engine.RunDockerUncheckedAsync("rm", "-f", c.Id)));
        }

        async Task<MatrixContainer> RunAsync(DockerDaemonFixture engine, string name, string collection, string nodeId)
        {
            var id = (await engine.RunDockerAsync("run", "-d", "--network", "none", "--name", name, "--label", "dockyard.access.collection=" + collection, image, "/bin/busybox", "sleep", "600")).StandardOutput.Trim();
            lock (created)
            {
                created.Add((engine, id));
            }

            return new MatrixContainer(id, name, collection, nodeId, engine == swarm.Manager ? "manager" : "worker");
        }
    }

    private static async Task<List<string>> ExpectAsync(string who, HttpClient client, MatrixContainer container, int list, int inspect)
    {
        var failures = new List<string>();
        foreach (var (operation, expected) in new[] { ("list", list), ("inspect", inspect) })
        {
            var status = (int)await Table.Single(r => r.Operation == operation).Perform(client, container);
            if (status != expected)
            {
                failures.Add($"{who} × {operation} on the {container.Node} container: {status}, expected {expected}");
            }
        }

        return failures;
    }

    private static async Task<HttpClient> UserWithGrantAsync(ApiTestServer server, HttpClient admin, string user, string role, string collection)
    {
        var (_, client) = await server.UserAsync(user);
        using var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = user, role, collection });
        await ProblemAssert.StatusAsync(HttpStatusCode.Created, grant);
        return client;
    }

    /// <summary>The status of a terminal WebSocket upgrade (101 when it opened; closed again at once).</summary>
    private static async Task<HttpStatusCode> ExecAsync(HttpClient client, MatrixContainer container)
    {
        var uri = new UriBuilder(new Uri(client.BaseAddress!, $"/api/v1/containers/{container.Id}/exec?cmd=/bin/sh")) { Scheme = "ws" }.Uri;
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", client.DefaultRequestHeaders.Authorization!.ToString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            return socket.HttpStatusCode;
        }

        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "matrix", timeout.Token);
        return HttpStatusCode.SwitchingProtocols;
    }

    /// <summary>200 when the list holds the container, 404 when it does not (the list never answers 404 itself).</summary>
    private static async Task<HttpStatusCode> ListAsync(HttpClient client, MatrixContainer container)
    {
        using var response = await client.GetAsync($"/api/v1/containers?all=true&label={Uri.EscapeDataString("dockyard.access.collection=" + container.Collection)}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return response.StatusCode;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var ids = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Empty(body.GetProperty("warnings").EnumerateArray());
        return ids.Contains(container.Id) ? HttpStatusCode.OK : HttpStatusCode.NotFound;
    }

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.StatusCode;
    }

    /// <summary>A container of the matrix: on which node (<see cref="Node"/> is "manager" or "worker"), in which collection.</summary>
    private sealed record MatrixContainer(string Id, string Name, string Collection, string NodeId, string Node);
}
