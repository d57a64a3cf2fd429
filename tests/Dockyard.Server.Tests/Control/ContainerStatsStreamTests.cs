using System.Net;
using System.Text.Json;
using Dockyard.Server.Control.Stats;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// <c>GET /api/v1/containers/{ref}/stats</c> over real HTTP against busybox containers of <see cref="SwarmFixture"/>:
/// sane samples (network null with <c>--network none</c>), one engine stream for many viewers
/// (<see cref="ContainerStatsHub.OpenEngineStreams"/>) that closes after they leave.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ContainerStatsStreamTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Samples_are_sane_and_network_is_null_without_a_network()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var name = await RunAsync(swarm.Worker);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await ContainerStreamClient.OpenEventsAsync(admin, $"/api/v1/containers/{name}/stats", timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var events = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            var samples = new List<JsonElement>();
            while (samples.Count < 2)
            {
                var item = await events.NextAsync(timeout.Token);
                Assert.Equal("message", item?.Name);
                samples.Add(JsonDocument.Parse(item!.Data).RootElement);
            }

            Assert.All(samples, s =>
            {
                Assert.True(s.GetProperty("memoryUsed").GetUInt64() > 0, "memory in use");
                Assert.True(s.GetProperty("memoryLimit").GetUInt64() >= s.GetProperty("memoryUsed").GetUInt64());
                Assert.Equal(JsonValueKind.Null, s.GetProperty("networkRx").ValueKind);
                Assert.Equal(JsonValueKind.Null, s.GetProperty("networkTx").ValueKind);
                Assert.True(s.GetProperty("pids").GetUInt64() >= 1);
                Assert.InRange(s.GetProperty("time").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(5));
            });
            Assert.True(samples[1].GetProperty("cpuPercent").GetDouble() >= 0);

            // Without event-stream: one sample, with a CPU figure.
            var one = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/containers/{name}/stats")).RootElement;
            Assert.True(one.GetProperty("cpuPercent").GetDouble() >= 0);
            Assert.Equal(JsonValueKind.Null, one.GetProperty("networkRx").ValueKind);
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Five_viewers_share_one_engine_stream_that_closes_after_they_leave()
    {
        var server = await swarm.DockyardAsync();
        var hub = server.Get<ContainerStatsHub>();
        var admin = await server.AdminAsync();
        var name = await RunAsync(swarm.Manager);
        try
        {
            // Streams of earlier tests close after their linger.
            await WaitForStreamsAsync(hub, 0, TimeSpan.FromSeconds(15));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var viewers = new List<(HttpResponseMessage Response, ServerSentEventReader Events)>();
            for (var i = 0; i < 5; i++)
            {
                var response = await ContainerStreamClient.OpenEventsAsync(admin, $"/api/v1/containers/{name}/stats", timeout.Token);
                viewers.Add((response, new ServerSentEventReader(await response.Content.ReadAsStreamAsync(timeout.Token))));
            }

            foreach (var (_, events) in viewers)
            {
                Assert.Equal("message", (await events.NextAsync(timeout.Token))?.Name);
                Assert.Equal("message", (await events.NextAsync(timeout.Token))?.Name);
            }

            Assert.Equal(1, hub.OpenEngineStreams);
            foreach (var (response, events) in viewers)
            {
                events.Dispose();
                response.Dispose();
            }

            // Still open for a moment (a reload does not reopen it), then closed.
            Assert.Equal(1, hub.OpenEngineStreams);
            await WaitForStreamsAsync(hub, 0, ContainerStatsHub.Linger + TimeSpan.FromSeconds(5));
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    private static async Task WaitForStreamsAsync(ContainerStatsHub hub, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (hub.OpenEngineStreams != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{hub.OpenEngineStreams} engine stats streams open, expected {expected}");
            await Task.Delay(50);
        }
    }

    private async Task<string> RunAsync(DockerDaemonFixture engine)
    {
        var image = await swarm.BusyboxAsync();
        var name = "stats-" + Guid.NewGuid().ToString("N")[..10];
        await engine.RunDockerAsync("run", "-d", "--network", "none", "--name", name, image, "/bin/busybox", "sh", "-c", "while true; do /bin/busybox usleep 50000; done");
        return name;
    }
}
