using System.Net;
using System.Text;
using Dockyard.Control.Stats;
using Dockyard.Control.Tests.Support;

namespace Dockyard.Control.Tests.Stats;

public sealed class StatsClientTests
{
    [Fact]
    public async Task Stream_DocumentsSplitAcrossReads_OneSamplePerDocument()
    {
        var body = Encoding.UTF8.GetBytes(
            """{"read":"2026-12-06T16:00:01Z","memory_stats":{"usage":10,"limit":100},"pids_stats":{"current":1}}""" + "\n" +
            """{"read":"2026-12-06T16:00:02Z","memory_stats":{"usage":20,"limit":100},"pids_stats":{"current":2}}""" + "\n");
        var handler = new CannedEngine(_ => CannedEngine.Answer(HttpStatusCode.OK, new ChunkedStream(body, chunk: 3)));
        using var engine = handler.Client();

        var samples = new List<StatsSample>();
        await foreach (var sample in new StatsClient(engine).StreamAsync("web"))
        {
            samples.Add(sample);
        }

        Assert.Equal([10UL, 20UL], samples.Select(s => s.MemoryUsedBytes));
        Assert.Equal([10.0, 20.0], samples.Select(s => s.MemoryPercent!.Value));
        Assert.Equal("/v1.41/containers/web/stats?stream=1", handler.Requests[0].RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task GetOnce_AsksForOneShot()
    {
        var handler = new CannedEngine(_ => CannedEngine.Answer(HttpStatusCode.OK, """{"read":"2026-12-06T16:00:01Z","memory_stats":{"usage":10,"limit":100}}"""u8.ToArray()));
        using var engine = handler.Client();

        var sample = await new StatsClient(engine).GetOnceAsync("web");

        Assert.Equal(10UL, sample.MemoryUsedBytes);
        Assert.Equal("/v1.41/containers/web/stats?stream=0&one-shot=1", handler.Requests[0].RequestUri!.PathAndQuery);
    }
}
