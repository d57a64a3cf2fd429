using System.Globalization;
using System.Net;
using System.Text.Json;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// <c>GET /api/v1/containers/{ref}/logs</c> end to end over real HTTP against busybox containers on both engines of
/// <see cref="SwarmFixture"/>: followed lines as Server-Sent Events, the end event when the container exits, the
/// engine connection closed when the client leaves, lines dropped (and counted) for a slow client, and the
/// tail/since/timestamps/stdout/stderr/download options as text/plain.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ContainerLogsStreamTests(SwarmFixture swarm)
{
    private const string Counter = "i=0; while true; do echo line $i; i=$((i+1)); /bin/busybox sleep 0.1; done";

    [Fact]
    public async Task Follow_streams_consecutive_lines_from_both_nodes_and_ends_when_the_container_exits()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var engine in new[] { swarm.Manager, swarm.Worker })
        {
            var name = await RunAsync(engine, Counter);
            try
            {
                using var response = await ContainerStreamClient.OpenEventsAsync(admin, $"/api/v1/containers/{name}/logs?follow=true&tail=3&timestamps=true", timeout.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
                using var events = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(timeout.Token));
                var numbers = new List<int>();
                while (numbers.Count < 10)
                {
                    var item = await events.NextAsync(timeout.Token);
                    Assert.Equal("message", item?.Name);
                    using var line = JsonDocument.Parse(item!.Data);
                    Assert.Equal("stdout", line.RootElement.GetProperty("stream").GetString());
                    var written = line.RootElement.GetProperty("time").GetDateTimeOffset();
                    Assert.InRange(written, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddSeconds(5));
                    var text = line.RootElement.GetProperty("text").GetString()!;
                    Assert.StartsWith("line ", text, StringComparison.Ordinal);
                    numbers.Add(int.Parse(text["line ".Length..], CultureInfo.InvariantCulture));
                }

                Assert.Equal(Enumerable.Range(numbers[0], 10), numbers);
            }
            finally
            {
                await engine.RunDockerUncheckedAsync("rm", "-f", name);
            }
        }

        // A container on the worker that exits while followed: its last lines (stderr too), then the end event.
        var exiting = await RunAsync(swarm.Worker, "i=0; while [ $i -lt 20 ]; do echo line $i; i=$((i+1)); /bin/busybox sleep 0.1; done; echo bye >&2; exit 3");
        try
        {
            using var response = await ContainerStreamClient.OpenEventsAsync(admin, $"/api/v1/containers/{exiting}/logs?follow=true&tail=all", timeout.Token);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var followed = await ContainerStreamClient.OpenEventsAsync(admin, $"/api/v1/containers/{exiting}/logs?follow=true&tail=10000", timeout.Token);
            using var events = new ServerSentEventReader(await followed.Content.ReadAsStreamAsync(timeout.Token));
            var seen = new List<ServerSentEvent>();
            while (await events.NextAsync(timeout.Token) is { } item)
            {
                seen.Add(item);
                if (item.Name == "end")
                {
                    break;
                }
            }

            Assert.Equal("end", seen[^1].Name);
            using var end = JsonDocument.Parse(seen[^1].Data);
            Assert.Equal(("stopped", "exited", 3), (end.RootElement.GetProperty("reason").GetString(), end.RootElement.GetProperty("state").GetString(), end.RootElement.GetProperty("exitCode").GetInt32()));
            using var last = JsonDocument.Parse(seen[^2].Data);
            Assert.Equal(("stderr", "bye", JsonValueKind.Null), (last.RootElement.GetProperty("stream").GetString(), last.RootElement.GetProperty("text").GetString(), last.RootElement.GetProperty("time").ValueKind));
            Assert.Equal(21, seen.Count(e => e.Name == "message"));
            Assert.Null(await events.NextAsync(timeout.Token));
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", exiting);
        }
    }

    [Fact]
    public async Task Tail_since_timestamps_streams_and_download_as_text()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var name = await RunAsync(swarm.Manager, "for i in 1 2 3 4 5; do echo out$i; done; /bin/busybox sleep 1; for i in 1 2 3 4 5; do echo err$i >&2; done; /bin/busybox sleep 300");
        try
        {
            await WaitForAsync(async () => (await admin.GetStringAsync($"/api/v1/containers/{name}/logs?stdout=false")).Contains("err5", StringComparison.Ordinal));
            // stdout was written a second before stderr, so the order across the two streams is known.
            Assert.Equal("err4\nerr5\n", await admin.GetStringAsync($"/api/v1/containers/{name}/logs?tail=2"));
            Assert.Equal("out1\nout2\nout3\nout4\nout5\n", await admin.GetStringAsync($"/api/v1/containers/{name}/logs?stderr=false"));
            Assert.Equal("err1\nerr2\nerr3\nerr4\nerr5\n", await admin.GetStringAsync($"/api/v1/containers/{name}/logs?stdout=false"));

            var stamped = (await admin.GetStringAsync($"/api/v1/containers/{name}/logs?timestamps=true&stderr=false")).TrimEnd('\n').Split('\n');
            Assert.Equal(5, stamped.Length);
            var first = DateTimeOffset.Parse(stamped[0].Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.Equal("out1", stamped[0].Split(' ')[1]);
            Assert.InRange(first, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow);

            var future = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            Assert.Equal(string.Empty, await admin.GetStringAsync($"/api/v1/containers/{name}/logs?since={future}"));
            Assert.Equal(10, (await admin.GetStringAsync($"/api/v1/containers/{name}/logs?since=1h")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal(string.Empty, await admin.GetStringAsync($"/api/v1/containers/{name}/logs?until={Uri.EscapeDataString(first.AddSeconds(-10).ToString("O", CultureInfo.InvariantCulture))}"));

            using var download = await admin.GetAsync($"/api/v1/containers/{name}/logs?download=true&tail=all");
            Assert.Equal($"attachment; filename=\"{name}.log\"", download.Content.Headers.ContentDisposition?.ToString());
            Assert.Equal(10, (await download.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            // Without follow the event stream ends on its own.
            using var response = await ContainerStreamClient.OpenEventsAsync(admin, $"/api/v1/containers/{name}/logs?tail=4", CancellationToken.None);
            using var events = new ServerSentEventReader(await response.Content.ReadAsStreamAsync());
            var seen = new List<ServerSentEvent>();
            while (await events.NextAsync(CancellationToken.None) is { } item)
            {
                seen.Add(item);
            }

            Assert.Equal(["message", "message", "message", "message", "end"], seen.Select(e => e.Name));
            Assert.Equal("{\"reason\":\"complete\"}", seen[^1].Data);

            foreach (var bad in new[] { "tail=-1", "since=yesterday", "stdout=false&stderr=false", "follow=maybe" })
            {
                using var refused = await admin.GetAsync($"/api/v1/containers/{name}/logs?{bad}");
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            }
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task A_client_that_leaves_closes_the_engine_connection()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var name = await RunAsync(swarm.Worker, Counter);
        try
        {
            // Warm the engine client's pool (inspect, a finished log read) so only the follow opens a connection.
            await admin.GetStringAsync($"/api/v1/containers/{name}/logs?tail=1");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var response = await ContainerStreamClient.OpenEventsAsync(admin, $"/api/v1/containers/{name}/logs?follow=true&tail=0", timeout.Token);
            var events = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            Assert.Equal("message", (await events.NextAsync(timeout.Token))?.Name);
            var following = EngineSockets.ConnectionsTo(swarm.Worker.DockerHost);

            // The browser goes away mid-stream.
            events.Dispose();
            response.Dispose();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            var now = following;
            while ((now = EngineSockets.ConnectionsTo(swarm.Worker.DockerHost)) >= following && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.True(now < following, $"the engine still holds {now} connections (following: {following})");
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task A_slow_client_gets_a_dropped_count_instead_of_a_growing_backlog()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        const int Lines = 100_000;
        var payload = new string('x', 200);
        var name = await RunAsync(swarm.Manager, $"/bin/busybox sleep 2; /bin/busybox yes {payload} | /bin/busybox head -n {Lines}; /bin/busybox sleep 300");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            using var response = await ContainerStreamClient.OpenEventsAsync(admin, $"/api/v1/containers/{name}/logs?follow=true&tail=0", timeout.Token);
            using var events = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(timeout.Token));

            // Reading in bursts with pauses: while paused, the socket buffers fill, then the server's queue, and the
            // server drops lines. (Pauses stay under Kestrel's 5 s grace for a client that takes no data at all.)
            long received = 0, dropped = 0, markers = 0;
            while (received + dropped < Lines)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
                for (var i = 0; i < 5_000 && received + dropped < Lines; i++)
                {
                    var item = await events.NextAsync(timeout.Token);
                    Assert.NotNull(item);
                    if (item.Name == "dropped")
                    {
                        markers++;
                        using var count = JsonDocument.Parse(item.Data);
                        dropped += count.RootElement.GetProperty("count").GetInt64();
                    }
                    else
                    {
                        Assert.Equal("message", item.Name);
                        received++;
                    }
                }
            }

            Assert.True(markers > 0, $"no dropped event: received {received} lines");
            Assert.True(dropped > 0);

            // Every line is accounted for: delivered or counted as dropped.
            Assert.Equal(Lines, received + dropped);
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    private async Task<string> RunAsync(DockerDaemonFixture engine, string script)
    {
        var image = await swarm.BusyboxAsync();
        var name = "logs-" + Guid.NewGuid().ToString("N")[..10];
        await engine.RunDockerAsync("run", "-d", "--network", "none", "--name", name, image, "/bin/busybox", "sh", "-c", script);
        return name;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the container's output");
            await Task.Delay(100);
        }
    }
}
