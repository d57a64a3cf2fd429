using System.IO.Pipelines;
using System.Net;
using System.Text;
using Dockyard.Control.Events;
using Dockyard.Control.Tests.Support;

namespace Dockyard.Control.Tests.Events;

public sealed class EventsClientTests
{
    private static string Event(string action, string id, long timeNano) =>
        $$$"""{"status":"{{{action}}}","id":"{{{id}}}","from":"busybox","Type":"container","Action":"{{{action}}}","Actor":{"ID":"{{{id}}}","Attributes":{"image":"busybox","name":"web"}},"scope":"local","time":{{{timeNano / 1_000_000_000}}},"timeNano":{{{timeNano}}}}""" + "\n";

    [Fact]
    public async Task Stream_SeveralPerReadAndSplitAcrossReads_AllInOrder()
    {
        var text = Event("create", "c1", 1_700_000_000_000_000_001) + Event("start", "c1", 1_700_000_000_100_000_000) +
                   Event("exec_start: sh -c echo hi", "c1", 1_700_000_001_000_000_000) + Event("health_status: healthy", "c1", 1_700_000_002_000_000_000) +
                   Event("die", "c1", 1_700_000_003_000_000_000);
        var bytes = Encoding.UTF8.GetBytes(text);
        // Cut once inside the second event and once after the third's newline, then 1 KiB reads (several events each).
        var handler = new CannedEngine(_ => CannedEngine.Answer(HttpStatusCode.OK, new ChunkedStream(bytes, 17, 300, text.IndexOf("health", StringComparison.Ordinal) - 40, bytes.Length)));
        using var engine = handler.Client();

        var events = new List<EngineEvent>();
        await foreach (var e in new EventsClient(engine).StreamAsync(new EventQuery()))
        {
            events.Add(e);
        }

        Assert.Equal(["create", "start", "exec_start", "health_status", "die"], events.Select(e => e.Action));
        Assert.Equal([null, null, "sh -c echo hi", "healthy", null], events.Select(e => e.Detail));
        var first = events[0];
        Assert.Equal("container", first.Type);
        Assert.Equal("c1", first.Actor.Id);
        Assert.Equal("web", first.Actor.Attributes["name"]);
        Assert.Equal("local", first.Scope);
        Assert.Equal(1_700_000_000_000_000_001, first.TimeNano);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), first.Time);
    }

    [Fact]
    public async Task Stream_EachEventDeliveredWhenItsLineArrives_NotOneBehind()
    {
        var pipe = new Pipe();
        var handler = new CannedEngine(_ => CannedEngine.Answer(HttpStatusCode.OK, pipe.Reader.AsStream()));
        using var engine = handler.Client();
        await using var events = new EventsClient(engine).StreamAsync(new EventQuery()).GetAsyncEnumerator();

        foreach (var action in new[] { "start", "stop" })
        {
            await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Event(action, "c1", 1_700_000_000_000_000_000)));
            // Nothing more is written: the event must come out now, not when the next one arrives.
            Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(action, events.Current.Action);
        }

        await pipe.Writer.CompleteAsync();
        Assert.False(await events.MoveNextAsync());
    }

    [Theory]
    [InlineData("start", "start", null)]
    [InlineData("exec_create: /bin/sh -c a: b", "exec_create", "/bin/sh -c a: b")]
    [InlineData("health_status: unhealthy", "health_status", "unhealthy")]
    [InlineData("exec_die", "exec_die", null)]
    public void SplitAction_SuffixAfterColonSpace_BecomesDetail(string wire, string action, string? detail)
    {
        Assert.Equal((action, detail), EngineEvent.SplitAction(wire));
    }

    [Fact]
    public void Query_SinceUntilAndFilters_AsTheEngineReadsThem()
    {
        var query = new EventQuery
        {
            Since = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(5),
            Until = DateTimeOffset.FromUnixTimeSeconds(1_700_000_060),
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["type"] = ["container"], ["label"] = ["a=b"] },
        };

        Assert.Equal(
            "?since=1700000000.000000500&until=1700000060.000000000&filters=" + Uri.EscapeDataString("""{"label":["a=b"],"type":["container"]}"""),
            EventsClient.Query(query));
    }
}
