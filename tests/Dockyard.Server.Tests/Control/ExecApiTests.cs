using System.Net.Http.Json;
using System.Net;
using Dockyard.Server.Control.Exec;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Audit;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// <c>GET /api/v1/containers/{ref}/exec</c> (WebSocket, Bearer token) against busybox containers on the swarm's
/// WORKER, through the Dockyard that has both engines: the terminal round trip, multi-byte output split across frames,
/// resize reaching the TTY, the chosen user, the shell fallback and its messages, a container dying under the
/// terminal, a client vanishing (the engine connection closes), who may exec (audited, without keystrokes), and
/// which pages may open it (a foreign <c>Origin</c> is 403).
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ExecApiTests(SwarmFixture swarm)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Terminal_on_the_worker_round_trips_utf8_resize_user_and_exit()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var token = timeout.Token;
        var server = await swarm.DockyardAsync();
        var (collection, headers) = await UserWithRoleAsync(server, "full-control");
        var name = await RunOnWorkerAsync(collection);
        try
        {
            await using (var terminal = await ExecSocketClient.ConnectAsync(ExecUri(server, name, "user=1234:5678"), headers, token))
            {
                await terminal.TypeAsync("echo hi-$((6*7)) $(/bin/busybox id -u):$(/bin/busybox id -g)\r", token);
                await terminal.WaitForAsync("hi-42 1234:5678", token);

                await terminal.ResizeAsync(123, 45, token);
                await terminal.TypeAsync("/bin/busybox stty size\r", token);
                await terminal.WaitForAsync("45 123", token);

                // One "é" whose two bytes are written a second apart, so one frame surely ends inside it; then 3,000 ×
                // "é€😀" (9 bytes) written at once, 27 KB that the TTY hands over in reads cut wherever.
                await terminal.TypeAsync("printf 'split-\\303'; /bin/busybox sleep 1; printf '\\251\\n'\r", token);
                await terminal.WaitForAsync("split-é", token);
                await terminal.TypeAsync("s=; for i in $(/bin/busybox seq 3000); do s=\"$s\"'é€😀'; done; printf '%s\\n' \"$s\"; echo utf8-$((40+2))-done\r", token);
                // A marker only the command's output contains: the line editor may echo the typed line more than once.
                await terminal.WaitForAsync("utf8-42-done", token);
                var output = terminal.Output;
                Assert.True(ExecSocketClient.Count(output, "é€😀") >= 3000, output);
                Assert.DoesNotContain('\uFFFD', output);
                var bytes = terminal.OutputBytes;
                Assert.Contains(terminal.FrameEnds, end => end < bytes.Length && (bytes[end] & 0xC0) == 0x80);
            }

            // The container dies under an open terminal: the socket says the process exited.
            await using var dying = await ExecSocketClient.ConnectAsync(ExecUri(server, name, "cmd=/bin/sh"), headers, token);
            await dying.TypeAsync("echo ready-$((1+1))\r", token);
            await dying.WaitForAsync("ready-2", token);
            await swarm.Worker.RunDockerAsync("kill", name);
            Assert.Equal(TerminalRelay.ProcessExited, await dying.ReadToCloseAsync(token));
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }

        var entries = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, 0)).Where(e => e.Action == "container.exec" && e.Resource == "containers/" + name).ToList();
        Assert.Equal(["success", "success"], entries.Select(e => e.Outcome));
        Assert.Contains("\"command\":\"/bin/sh\"", entries[0].Details, StringComparison.Ordinal);
        Assert.Contains("\"user\":\"1234:5678\"", entries[0].Details, StringComparison.Ordinal);
        Assert.Contains("\"engine\":\"worker\"", entries[0].Details, StringComparison.Ordinal);
        Assert.Contains($"\"node\":\"{swarm.WorkerNodeId}\"", entries[0].Details, StringComparison.Ordinal);
        Assert.All(entries, e => Assert.DoesNotContain("hi-", e.Details + e.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_command_missing_shell_and_stopped_container_are_told_in_the_terminal()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var token = timeout.Token;
        var server = await swarm.DockyardAsync();
        var (collection, headers) = await UserWithRoleAsync(server, "full-control");
        var name = await RunOnWorkerAsync(collection);
        try
        {
            await using (var bash = await ExecSocketClient.ConnectAsync(ExecUri(server, name, "cmd=/bin/bash"), headers, token))
            {
                Assert.Equal(ExecTerminal.NotStarted, await bash.ReadToCloseAsync(token));
                Assert.Contains($"/bin/bash: command not found in container {name}", bash.Output, StringComparison.Ordinal);
            }

            // Without /bin/sh either, "auto" has nothing to run.
            await swarm.Worker.RunDockerAsync("exec", name, "/bin/busybox", "rm", "/bin/sh");
            await using (var auto = await ExecSocketClient.ConnectAsync(ExecUri(server, name, "cmd=auto"), headers, token))
            {
                Assert.Equal(ExecTerminal.NotStarted, await auto.ReadToCloseAsync(token));
                Assert.Contains("no shell in this container: tried /bin/bash, /bin/sh", auto.Output, StringComparison.Ordinal);
            }

            await swarm.Worker.RunDockerAsync("stop", "-t", "0", name);
            await using (var stopped = await ExecSocketClient.ConnectAsync(ExecUri(server, name, "cmd=/bin/busybox%20sh"), headers, token))
            {
                Assert.Equal(ExecTerminal.NotStarted, await stopped.ReadToCloseAsync(token));
                Assert.Contains($"container {name} is not running", stopped.Output, StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.BadRequest, await ExecSocketClient.RefusedWithAsync(ExecUri(server, name, "user=root;id"), headers, token));
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }

        var entries = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, 0)).Where(e => e.Action == "container.exec" && e.Resource == "containers/" + name).ToList();
        Assert.Equal(["failed /bin/bash", "failed auto", "failed /bin/busybox sh"], entries.Select(e => $"{e.Outcome} {Json(e.Details, "command")}"));
    }

    [Fact]
    public async Task A_vanished_client_closes_the_engine_connection()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var token = timeout.Token;
        var server = await swarm.DockyardAsync();
        var (collection, headers) = await UserWithRoleAsync(server, "full-control");
        var name = await RunOnWorkerAsync(collection);
        try
        {
            // One full session first, so the engine client's pool already holds the REST connections an exec uses.
            await using (var warm = await ExecSocketClient.ConnectAsync(ExecUri(server, name, "cmd=/bin/sh"), headers, token))
            {
                await warm.TypeAsync("exit\r", token);
                await warm.ReadToCloseAsync(token);
            }

            var before = OwnConnections.To(swarm.WorkerSocketPath);
            var terminal = await ExecSocketClient.ConnectAsync(ExecUri(server, name, "cmd=/bin/sh"), headers, token);
            await terminal.TypeAsync("echo open-$((2*3))\r", token);
            await terminal.WaitForAsync("open-6", token);
            Assert.True(OwnConnections.To(swarm.WorkerSocketPath) > before, "the exec holds a connection to the worker's engine");

            terminal.Socket.Abort();
            await terminal.DisposeAsync();
            var after = await OwnConnections.WaitForAtMostAsync(swarm.WorkerSocketPath, before, TimeSpan.FromSeconds(15));
            Assert.True(after <= before, $"connections to the worker's engine: {before} before, {after} after the client vanished");
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Restricted_control_is_forbidden_no_grant_is_not_found_and_refusals_are_audited()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var token = timeout.Token;
        var server = await swarm.DockyardAsync();
        var (collection, restricted) = await UserWithRoleAsync(server, "restricted-control");
        var (_, stranger) = await UserWithRoleAsync(server, "full-control");
        var name = await RunOnWorkerAsync(collection);
        try
        {
            Assert.Equal(HttpStatusCode.Forbidden, await ExecSocketClient.RefusedWithAsync(ExecUri(server, name, "cmd=/bin/sh"), restricted, token));
            Assert.Equal(HttpStatusCode.NotFound, await ExecSocketClient.RefusedWithAsync(ExecUri(server, name, "cmd=/bin/sh"), stranger, token));
            Assert.Equal(HttpStatusCode.Unauthorized, await ExecSocketClient.RefusedWithAsync(ExecUri(server, name, null), new Dictionary<string, string>(), token));

            // Plain HTTP (no upgrade) is a 400 telling what the endpoint is.
            using var plain = await server.Anonymous().SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/containers/{name}/exec") { Headers = { { "Authorization", restricted["Authorization"] } } }, token);
            Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }

        var entries = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, 0)).Where(e => e.Action == "container.exec" && e.Resource == "containers/" + name).ToList();
        Assert.Equal(["denied restricted", "denied stranger", "denied anonymous"], entries.Select((e, i) => $"{e.Outcome} {(i == 0 ? "restricted" : i == 1 ? "stranger" : e.ActorKind)}"));
        Assert.Contains("open a terminal in container " + name, entries[0].Reason, StringComparison.Ordinal);
        Assert.Contains("not visible", entries[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_before_the_engine_and_the_own_origin_or_none_is_not()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var token = timeout.Token;
        var server = await swarm.DockyardAsync();
        var (collection, headers) = await UserWithRoleAsync(server, "full-control");
        var name = await RunOnWorkerAsync(collection);
        var own = $"http://{server.Server.BaseAddress.Authority}";
        try
        {
            // A page on another site opening the socket: the browser would attach cached credentials.
            foreach (var origin in new[] { "https://evil.example", "null", "http://127.0.0.1:1" })
            {
                Assert.Equal(HttpStatusCode.Forbidden, await ExecSocketClient.RefusedWithAsync(ExecUri(server, name, "cmd=/bin/sh"), new Dictionary<string, string>(headers) { ["Origin"] = origin }, token));
            }

            // The same token, same container: with the server's own origin, and without one (a CLI), the terminal opens.
            await using (var same = await ExecSocketClient.ConnectAsync(ExecUri(server, name, "cmd=/bin/sh"), new Dictionary<string, string>(headers) { ["Origin"] = own }, token))
            {
                await same.TypeAsync("echo same-$((3*3))\r", token);
                await same.WaitForAsync("same-9", token);
            }

            await using (var none = await ExecSocketClient.ConnectAsync(ExecUri(server, name, "cmd=/bin/sh"), headers, token))
            {
                await none.TypeAsync("echo none-$((4*4))\r", token);
                await none.WaitForAsync("none-16", token);
            }
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }

        // The refusals came before the container was looked up: only the two terminals are in the audit trail.
        var entries = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, 0)).Where(e => e.Action == "container.exec" && e.Resource == "containers/" + name).ToList();
        Assert.Equal(["success", "success"], entries.Select(e => e.Outcome));
    }

    private static Uri ExecUri(ApiTestServer server, string container, string? query) =>
        new($"ws://{server.Server.BaseAddress.Authority}/api/v1/containers/{container}/exec{(query is null ? "" : "?" + query)}");

    /// <summary>A new user with <paramref name="role"/> on a collection of their own; returns it and the upgrade's Authorization header.</summary>
    private static async Task<(string Collection, Dictionary<string, string> Headers)> UserWithRoleAsync(ApiTestServer server, string role)
    {
        var username = "exec-" + Guid.NewGuid().ToString("N")[..10];
        var (_, client) = await server.UserAsync(username);
        var collection = "/exec/" + username;
        var admin = await server.AdminAsync();
        using var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = username, role, collection });
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        return (collection, new Dictionary<string, string> { ["Authorization"] = client.DefaultRequestHeaders.Authorization!.ToString() });
    }

    private async Task<string> RunOnWorkerAsync(string collection)
    {
        var image = await swarm.BusyboxAsync();
        var name = "exec-" + Guid.NewGuid().ToString("N")[..10];
        await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", name, "--label", "dockyard.access.collection=" + collection, image, "/bin/busybox", "sleep", "300");
        return name;
    }

    private static string? Json(string? details, string property) =>
        details is null ? null : System.Text.Json.JsonDocument.Parse(details).RootElement.TryGetProperty(property, out var value) ? value.GetString() : null;
}
