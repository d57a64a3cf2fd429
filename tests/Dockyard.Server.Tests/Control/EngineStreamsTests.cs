using System.Diagnostics;
using System.Text;
using Dockyard.Control.Engines;
using Dockyard.Control.Events;
using Dockyard.Control.Exec;
using Dockyard.Control.Logs;
using Dockyard.Control.Stats;
using Dockyard.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// Logs, stats, events and exec of Dockyard.Control against a real dockerd, with containers of the busybox test
/// image (<c>--network none</c>: the private daemon has no bridge).
/// </summary>
[Collection(ControlStreamsCollection.Name)]
public sealed class EngineStreamsTests : IDisposable
{
    private const string Utf8Sample = "é€😀";
    private static readonly SemaphoreSlim ImageLock = new(1, 1);
    private readonly DockerDaemonFixture _docker;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _work = new("control-streams");
    private readonly EngineClient _engine;

    public EngineStreamsTests(DockerDaemonFixture docker, ITestOutputHelper output)
    {
        _docker = docker;
        _output = output;
        _engine = new EngineClient(new EngineEndpoint("test", new Uri(docker.DockerHost)));
    }

    private static string Image => "dockyard-control/busybox:streams";

    public void Dispose()
    {
        _engine.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task Logs_FollowDeliversLiveLinesWithinASecond_AndCancellingClosesTheEngineConnection()
    {
        var container = await RunAsync(
            "/bin/sh", "-c", $"printf '{Utf8Sample}\\n'; echo to-stderr >&2; i=0; while true; do i=$((i+1)); echo \"line $i\"; /bin/busybox usleep 100000; done");

        // Not following, TTY unknown: the client inspects Config.Tty, demultiplexes stdout and stderr.
        var head = new List<LogLine>();
        await foreach (var line in new LogsClient(_engine).ReadContainerLogsAsync(container, new LogOptions()))
        {
            head.Add(line);
        }

        Assert.Contains(new LogLine(LogStreamKind.Stdout, null, Utf8Sample), head);
        Assert.Contains(new LogLine(LogStreamKind.Stderr, null, "to-stderr"), head);

        // Following on a client of its own, so the only connection it opens is the stream's.
        using var follower = new EngineClient(new EngineEndpoint("follower", new Uri(_docker.DockerHost)));
        var before = EngineSockets.ConnectionsTo(_docker.DockerHost);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var options = new LogOptions { Follow = true, Tail = 0, Timestamps = true, Tty = false };
        var live = new List<(LogLine Line, DateTimeOffset ReceivedAt)>();
        var enumerator = new LogsClient(follower).ReadContainerLogsAsync(container, options, cancel.Token).GetAsyncEnumerator(cancel.Token);
        try
        {
            while (live.Count < 5 && await enumerator.MoveNextAsync())
            {
                live.Add((enumerator.Current, DateTimeOffset.UtcNow));
            }

            Assert.Equal(before + 1, EngineSockets.ConnectionsTo(_docker.DockerHost));
            foreach (var (line, receivedAt) in live)
            {
                Assert.StartsWith("line ", line.Text, StringComparison.Ordinal);
                Assert.NotNull(line.Timestamp);
                var latency = receivedAt - line.Timestamp!.Value;
                _output.WriteLine($"{line.Text}: written {line.Timestamp:O}, received after {latency.TotalMilliseconds:0} ms");
                Assert.True(latency < TimeSpan.FromSeconds(1), $"'{line.Text}' arrived {latency.TotalMilliseconds:0} ms after it was written");
            }

            // Consecutive: follow delivers every line, in order.
            var numbers = live.Select(l => int.Parse(l.Line.Text["line ".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);

            cancel.Cancel();
            var stopwatch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                while (await enumerator.MoveNextAsync())
                {
                }
            });
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"cancellation took {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            await enumerator.DisposeAsync();
        }

        var after = await EngineSockets.WaitForConnectionsAsync(_docker.DockerHost, before, TimeSpan.FromSeconds(5));
        Assert.Equal(before, after);

        // A consumer that just stops (no cancellation) closes the connection too, at once: a follow stream never
        // ends, so draining it for reuse would only hold the connection open.
        await foreach (var line in new LogsClient(follower).ReadContainerLogsAsync(container, options))
        {
            Assert.Equal(before + 1, EngineSockets.ConnectionsTo(_docker.DockerHost));
            break;
        }

        after = await EngineSockets.WaitForConnectionsAsync(_docker.DockerHost, before, TimeSpan.FromMilliseconds(1000));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Stats_StreamYieldsSamplesWithMemoryAndNoNetwork_OneShotHasNoPreviousSample()
    {
        var container = await RunAsync("/bin/sh", "-c", "while true; do /bin/busybox usleep 50000; done");
        var stats = new StatsClient(_engine);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var samples = new List<StatsSample>();
        await foreach (var sample in stats.StreamAsync(container, cancel.Token))
        {
            _output.WriteLine(sample.ToString());
            samples.Add(sample);
            if (samples.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(3, samples.Count);
        Assert.All(samples, s =>
        {
            Assert.True(s.MemoryUsedBytes > 0, "memory in use");
            Assert.True(s.MemoryLimitBytes >= s.MemoryUsedBytes);
            Assert.Null(s.NetworkRxBytes); // --network none: "n/a"
            Assert.Null(s.NetworkTxBytes);
            Assert.True(s.Pids >= 1);
        });
        Assert.True(samples[2].Read > samples[1].Read, "one sample per second, each newer");
        Assert.NotNull(samples[2].CpuPercent); // a busy-ish loop: the CPU delta between two samples is positive
        Assert.InRange(samples[2].CpuPercent!.Value, 0.0, 100.0 * Environment.ProcessorCount);

        // One-shot still waits for the engine's next collection tick (up to 1 s), but takes one sample, not two:
        // precpu_stats is empty, so the busy container shows no CPU percentage (stream=0 alone would give one).
        var once = await stats.GetOnceAsync(container, cancel.Token);
        _output.WriteLine(once.ToString());
        Assert.True(once.MemoryUsedBytes > 0);
        Assert.Null(once.CpuPercent);
    }

    [Fact]
    public async Task Events_StartDieStopOfAContainer_ArriveInOrderWhileStreaming()
    {
        await EnsureImageAsync();
        var container = (await _docker.RunDockerAsync("create", "--network", "none", Image, "/bin/busybox", "sleep", "600")).StandardOutput.Trim();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var query = new EventQuery
        {
            Since = DateTimeOffset.UtcNow,
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["type"] = ["container"], ["container"] = [container] },
        };

        var actions = new List<string>();
        var stream = Task.Run(async () =>
        {
            await foreach (var e in new EventsClient(_engine).StreamAsync(query, cancel.Token))
            {
                Assert.Equal(container, e.Actor.Id);
                actions.Add(e.Action);
                if (e.Action == "stop")
                {
                    return;
                }
            }
        });

        await _docker.RunDockerAsync("start", container);
        await _docker.RunDockerAsync("stop", "-t", "1", container);
        await stream.WaitAsync(TimeSpan.FromSeconds(30));

        _output.WriteLine(string.Join(", ", actions));
        Assert.Equal(["start", "die", "stop"], actions.Where(a => a is "start" or "die" or "stop"));
        Assert.Equal("start", actions[0]);
    }

    [Fact]
    public async Task Exec_InteractiveShellThroughTheUpgrade_WritesResizesAndReportsExitCode()
    {
        var container = await RunAsync("/bin/busybox", "sleep", "600");
        var exec = new ExecClient(_engine);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // busybox has no bash: the typed error a console falls back on.
        var missing = await Assert.ThrowsAsync<ExecStartFailedException>(() =>
            exec.OpenAsync(container, new ExecCreateOptions { Cmd = ["/bin/bash"], Tty = true, AttachStdin = true }, cancel.Token));
        _output.WriteLine(missing.EngineMessage);
        Assert.True(missing.ExecutableNotFound);
        Assert.Equal("/bin/bash", missing.MissingExecutable);

        await using var session = await exec.OpenAsync(container, new ExecCreateOptions { Cmd = ["/bin/sh"], Tty = true, AttachStdin = true }, cancel.Token);
        await session.ResizeAsync(height: 37, width: 101, cancel.Token);
        var terminal = new TerminalReader(session.Stream);

        await Write(session, "/bin/busybox stty size\n");
        await terminal.WaitForAsync("\n37 101\r\n", cancel.Token);

        await Write(session, "echo hel''lo\n"); // the echoed command line reads "hel''lo"; only the output reads "hello"
        await terminal.WaitForAsync("\nhello\r\n", cancel.Token);

        await Write(session, "exit 3\n");
        await terminal.ReadToEndAsync(cancel.Token);
        Assert.Equal(3, await session.WaitForExitAsync(cancel.Token));
    }

    [Fact]
    public async Task Exec_MultibyteOutput_ArrivesByteExactFramedAndRaw()
    {
        var container = await RunAsync("/bin/busybox", "sleep", "600");
        var exec = new ExecClient(_engine);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Without a TTY: multiplexed, stderr apart, the last line has no newline.
        await using (var framed = await exec.OpenAsync(container, new ExecCreateOptions { Cmd = ["/bin/sh", "-c", $"echo to-stderr >&2; printf '{Utf8Sample}'"] }, cancel.Token))
        {
            var lines = new List<LogLine>();
            await foreach (var line in framed.ReadLinesAsync(cancellationToken: cancel.Token))
            {
                lines.Add(line);
            }

            Assert.Equal([new LogLine(LogStreamKind.Stderr, null, "to-stderr"), new LogLine(LogStreamKind.Stdout, null, Utf8Sample)], lines);
            Assert.Equal(0, await framed.WaitForExitAsync(cancel.Token));
        }

        // A process silent at first: the start is confirmed by its PID, and its later output still arrives whole.
        var stopwatch = Stopwatch.StartNew();
        await using (var silent = await exec.OpenAsync(container, new ExecCreateOptions { Cmd = ["/bin/sh", "-c", "/bin/busybox sleep 2; echo late"], Tty = true }, cancel.Token))
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1.5), $"start took {stopwatch.Elapsed.TotalMilliseconds:0} ms");
            using var late = new MemoryStream();
            await silent.Stream.CopyToAsync(late, cancel.Token);
            Assert.Equal("late\r\n", Encoding.UTF8.GetString(late.ToArray()));
        }

        // With a TTY: the raw bytes, exactly.
        await using var raw = await exec.OpenAsync(container, new ExecCreateOptions { Cmd = ["/bin/busybox", "printf", Utf8Sample], Tty = true }, cancel.Token);
        using var received = new MemoryStream();
        await raw.Stream.CopyToAsync(received, cancel.Token);
        Assert.Equal(Encoding.UTF8.GetBytes(Utf8Sample), received.ToArray());
    }

    private static async Task Write(ExecSession session, string text)
    {
        await session.Stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await session.Stream.FlushAsync();
    }

    /// <summary>Starts a detached container of the test image and returns its ID.</summary>
    private async Task<string> RunAsync(params string[] command)
    {
        await EnsureImageAsync();
        var result = await _docker.RunDockerAsync(["run", "-d", "--network", "none", Image, .. command]);
        return result.StandardOutput.Trim();
    }

    private async Task EnsureImageAsync()
    {
        await ImageLock.WaitAsync();
        try
        {
            if ((await _docker.RunDockerUncheckedAsync("image", "inspect", Image)).ExitCode != 0)
            {
                await TestImages.BuildBusyboxImageAsync(_docker, Image, _work.Path);
            }
        }
        finally
        {
            ImageLock.Release();
        }
    }
}
