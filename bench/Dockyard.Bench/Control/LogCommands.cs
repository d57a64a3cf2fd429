using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Dockyard.Bench.Control;

/// <summary>
/// Log follow passes over <c>GET /api/v1/containers/{ref}/logs?follow=true</c> as SSE. The container writes lines
/// <c>T &lt;wall-clock µs&gt; &lt;sequence&gt; …</c> (bench/control.sh's writer: busybox adjtimex for the clock), so
/// latency is this machine's wall clock at receipt minus the writer's, on one clock.
/// </summary>
internal static class LogCommands
{
    private static string FollowPath(string container) =>
        $"/api/v1/containers/{Uri.EscapeDataString(container)}/logs?follow=true&tail=0&timestamps=true&stdout=true&stderr=true";

    private static double NowUnixMicros() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10.0;

    /// <summary>Parses one SSE event: the writer's µs and sequence from the text, the engine's time field. False if not a writer line.</summary>
    private static bool TryParse(string data, out double writerMicros, out long sequence, out double? engineMicros)
    {
        writerMicros = 0;
        sequence = 0;
        engineMicros = null;
        using var json = JsonDocument.Parse(data);
        var root = json.RootElement;
        if (root.TryGetProperty("time", out var time) && time.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            engineMicros = (at.UtcDateTime - DateTime.UnixEpoch).Ticks / 10.0;
        }

        var text = root.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
        var parts = text.Trim().Split(' ', 4);
        return parts.Length >= 3 && parts[0] == "T"
            && double.TryParse(parts[1], CultureInfo.InvariantCulture, out writerMicros)
            && long.TryParse(parts[2], CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>
    /// log-latency BASE TOKEN CONTAINER SECONDS WARMUP RAW: one follower for WARMUP+SECONDS s; the first WARMUP s are
    /// not counted. Prints received lines/s, lost lines (sequence gaps) and write→receive latency (ms) by the writer's
    /// clock and by the engine's timestamp. RAW gets the writer-clock latencies.
    /// </summary>
    public static async Task<int> LatencyAsync(string baseUrl, string token, string container, double seconds, double warmup, string raw)
    {
        using var client = ControlHttp.Client(baseUrl, token);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(warmup + seconds));
        var started = Stopwatch.StartNew();
        var writer = new List<double>();
        var engine = new List<double>();
        long lines = 0, gaps = 0, other = 0, last = -1;
        try
        {
            await foreach (var data in ControlHttp.ReadSseAsync(client, FollowPath(container), stop.Token))
            {
                var now = NowUnixMicros();
                if (!TryParse(data, out var written, out var sequence, out var engineAt))
                {
                    other++;
                    continue;
                }

                if (last >= 0 && sequence > last + 1)
                {
                    gaps += sequence - last - 1;
                }

                last = sequence;
                if (started.Elapsed.TotalSeconds < warmup)
                {
                    continue;
                }

                lines++;
                writer.Add((now - written) / 1000.0);
                if (engineAt is { } e)
                {
                    engine.Add((now - e) / 1000.0);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        if (lines == 0)
        {
            throw new InvalidOperationException($"no writer lines received from {FollowPath(container)} in {warmup + seconds} s ({other} other events)");
        }

        Figures.WriteRaw(raw, writer);
        Console.WriteLine($"lines={lines} lines_per_s={Figures.F(lines / seconds, "F0")} lost={gaps} other_events={other} " +
                          $"{Figures.Summary("writer_ms", writer)} {Figures.Summary("engine_ms", engine)}");
        return 0;
    }

    /// <summary>
    /// log-memory BASE TOKEN CONTAINER FOLLOWERS SECONDS PID RAW: FOLLOWERS SSE followers of one (fast-writing)
    /// container for SECONDS s while the Dockyard process PID's VmRSS is sampled every second; then the followers
    /// leave and RSS is read again 5 s later. RAW gets "second rss_kib lines_received_total" rows.
    /// </summary>
    public static async Task<int> MemoryAsync(string baseUrl, string token, string container, int followers, double seconds, int pid, string raw)
    {
        using var client = ControlHttp.Client(baseUrl, token, followers + 4);
        using var stop = new CancellationTokenSource();
        var received = new long[followers];
        var lastSequence = new long[followers];
        var lost = new long[followers];
        var failures = new List<string>();
        var tasks = Enumerable.Range(0, followers).Select(i => Task.Run(async () =>
        {
            lastSequence[i] = -1;
            try
            {
                await foreach (var data in ControlHttp.ReadSseAsync(client, FollowPath(container), stop.Token))
                {
                    if (TryParse(data, out _, out var sequence, out _))
                    {
                        if (lastSequence[i] >= 0 && sequence > lastSequence[i] + 1)
                        {
                            lost[i] += sequence - lastSequence[i] - 1;
                        }

                        lastSequence[i] = sequence;
                    }

                    Interlocked.Increment(ref received[i]);
                }

                if (!stop.IsCancellationRequested)
                {
                    lock (failures) failures.Add($"follower {i}: stream ended early");
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                lock (failures) failures.Add($"follower {i}: {ex.Message}");
            }
        })).ToArray();

        // Start counting once every follower has had a line (or 20 s have passed).
        var wait = Stopwatch.StartNew();
        while (received.Any(r => Interlocked.Read(ref r) == 0) && wait.Elapsed < TimeSpan.FromSeconds(20) && failures.Count == 0)
        {
            await Task.Delay(100);
        }

        if (failures.Count > 0)
        {
            await stop.CancelAsync();
            throw new InvalidOperationException(string.Join("; ", failures.Distinct().Take(3)));
        }

        var samples = new List<(double Second, long Rss, long Lines)>();
        var clock = Stopwatch.StartNew();
        var startLines = received.Sum();
        for (var second = 0; second <= seconds; second++)
        {
            var due = TimeSpan.FromSeconds(second) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            samples.Add((clock.Elapsed.TotalSeconds, ProcessProbe.RssKib(pid), received.Sum() - startLines));
        }

        var totalLines = received.Sum() - startLines;
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        await Task.Delay(5000);
        var after = ProcessProbe.RssKib(pid);
        File.WriteAllLines(raw, samples.Select(s => $"{Figures.F(s.Second, "F1")}\t{s.Rss}\t{s.Lines}"));
        double Mib(long kib) => kib / 1024.0;
        var rss = samples.Select(s => s.Rss).ToArray();
        Console.WriteLine(
            $"followers={followers} seconds={Figures.F(seconds, "F0")} followers_receiving={received.Count(r => r > 0)} " +
            $"lines_per_s_per_follower={Figures.F(totalLines / clock.Elapsed.TotalSeconds / followers, "F0")} lost_per_follower={Figures.F(lost.Average(), "F0")} " +
            $"rss_start_mib={Figures.F(Mib(rss[0]), "F1")} rss_max_mib={Figures.F(Mib(rss.Max()), "F1")} rss_end_mib={Figures.F(Mib(rss[^1]), "F1")} " +
            $"rss_growth_mib={Figures.F(Mib(rss[^1] - rss[0]), "F1")} rss_after_close_mib={Figures.F(Mib(after), "F1")} errors={failures.Count}");
        return failures.Count == 0 ? 0 : 1;
    }
}
