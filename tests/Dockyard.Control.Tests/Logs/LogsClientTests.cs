using System.Net;
using System.Text;
using Dockyard.Control.Logs;
using Dockyard.Control.Tests.Support;

namespace Dockyard.Control.Tests.Logs;

public sealed class LogsClientTests
{
    [Fact]
    public async Task ReadContainerLogs_TtyUnknown_InspectsConfigTtyAndReadsRaw()
    {
        var handler = new CannedEngine(request => request.RequestUri!.AbsolutePath.EndsWith("/json", StringComparison.Ordinal)
            ? CannedEngine.Answer(HttpStatusCode.OK, """{"Id":"abc","Config":{"Tty":true,"Image":"busybox"}}"""u8.ToArray())
            : CannedEngine.Answer(HttpStatusCode.OK, Encoding.UTF8.GetBytes("raw line\r\n")));
        using var engine = handler.Client();

        var lines = new List<LogLine>();
        await foreach (var line in new LogsClient(engine).ReadContainerLogsAsync("abc", new LogOptions { Follow = true, Tail = 10, Timestamps = false }))
        {
            lines.Add(line);
        }

        Assert.Equal([new LogLine(LogStreamKind.Stdout, null, "raw line")], lines);
        Assert.Equal("/v1.41/containers/abc/json", handler.Requests[0].RequestUri!.AbsolutePath);
        Assert.Equal("/v1.41/containers/abc/logs?stdout=1&stderr=1&follow=1&tail=10", handler.Requests[1].RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task ReadServiceLogs_TtyGiven_NoInspectAndDemultiplexes()
    {
        var handler = new CannedEngine(_ => CannedEngine.Answer(HttpStatusCode.OK, Frames.Frame(2, "boom\n")));
        using var engine = handler.Client();
        var since = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero).AddTicks(1);

        var lines = new List<LogLine>();
        await foreach (var line in new LogsClient(engine).ReadServiceLogsAsync("svc", new LogOptions { Tty = false, Stdout = false, Since = since, Timestamps = true }))
        {
            lines.Add(line);
        }

        Assert.Equal([new LogLine(LogStreamKind.Stderr, null, "boom")], lines);
        Assert.Single(handler.Requests);
        Assert.Equal("/v1.41/services/svc/logs?stdout=0&stderr=1&since=1796515200.000000100&timestamps=1", handler.Requests[0].RequestUri!.PathAndQuery);
    }
}
