using System.Diagnostics;

namespace Dockyard.Bench.Control;

/// <summary>Stats fan-out over <c>GET /api/v1/containers/{ref}/stats</c> as SSE.</summary>
internal static class StatsCommands
{
    /// <summary>
    /// stats-fanout BASE TOKEN CONTAINER VIEWERS SECONDS PID ENGINE_SOCKET RAW:
    /// (1) Dockyard's CPU over an idle window (no viewers, SECONDS/3 s) and its connections to the engine socket;
    /// (2) VIEWERS SSE viewers of one container, joining one after another; once all receive samples, SECONDS s of CPU time and a connection
    /// count every second; (3) the viewers leave, connections counted again 5 s later.
    /// Prints connections before/during/after (one engine stream for all viewers means during − before = 1),
    /// samples per viewer per second, and CPU seconds per viewer-minute (gross, and net of the idle rate).
    /// RAW gets "second connections cpu_s" rows.
    /// </summary>
    public static async Task<int> FanOutAsync(string baseUrl, string token, string container, int viewers, double seconds, int pid, string socket, string raw)
    {
        var path = $"/api/v1/containers/{Uri.EscapeDataString(container)}/stats";
        var before = ProcessProbe.EngineConnections(pid, socket);
        var idleSeconds = Math.Max(5, seconds / 3);
        var idleCpu0 = ProcessProbe.CpuSeconds(pid);
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
        var idleRate = (ProcessProbe.CpuSeconds(pid) - idleCpu0) / idleClock.Elapsed.TotalMinutes; // CPU s per minute
        var beforeAfterIdle = ProcessProbe.EngineConnections(pid, socket);

        using var client = ControlHttp.Client(baseUrl, token, viewers + 4);
        using var stop = new CancellationTokenSource();
        var samples = new long[viewers];
        var failures = new List<string>();
        var tasks = new List<Task>();

        // Viewers join one after another, each once the one before has its first sample, as people open a page: the
        // connection count then shows engine streams. Fifty look-ups at the same instant would each take a pooled
        // connection to the engine (kept idle for a minute), which says nothing about how many stats streams run.
        for (var next = 0; next < viewers; next++)
        {
            var i = next;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await foreach (var _ in ControlHttp.ReadSseAsync(client, path, stop.Token))
                    {
                        Interlocked.Increment(ref samples[i]);
                    }

                    if (!stop.IsCancellationRequested)
                    {
                        lock (failures) failures.Add($"viewer {i}: stream ended early");
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception ex)
                {
                    lock (failures) failures.Add($"viewer {i}: {ex.Message}");
                }
            }));
            var joining = Stopwatch.StartNew();
            while (Interlocked.Read(ref samples[i]) == 0 && joining.Elapsed < TimeSpan.FromSeconds(10) && failures.Count == 0)
            {
                await Task.Delay(20);
            }
        }

        var wait = Stopwatch.StartNew();
        while (samples.Any(s => s == 0) && wait.Elapsed < TimeSpan.FromSeconds(30) && failures.Count == 0)
        {
            await Task.Delay(100);
        }

        if (failures.Count > 0 || samples.Any(s => s == 0))
        {
            await stop.CancelAsync();
            throw new InvalidOperationException(failures.Count > 0
                ? string.Join("; ", failures.Distinct().Take(3))
                : $"{samples.Count(s => s == 0)} of {viewers} viewers had no sample after 30 s");
        }

        var counted0 = samples.Sum();
        var cpu0 = ProcessProbe.CpuSeconds(pid);
        var clock = Stopwatch.StartNew();
        var rows = new List<string>();
        var during = new List<int>();
        for (var second = 1; second <= seconds; second++)
        {
            var due = TimeSpan.FromSeconds(second) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var connections = ProcessProbe.EngineConnections(pid, socket);
            during.Add(connections);
            rows.Add($"{second}\t{connections}\t{Figures.F(ProcessProbe.CpuSeconds(pid) - cpu0, "F3")}");
        }

        var cpu = ProcessProbe.CpuSeconds(pid) - cpu0;
        var minutes = clock.Elapsed.TotalMinutes;
        var received = samples.Sum() - counted0;
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        await Task.Delay(5000);
        var after = ProcessProbe.EngineConnections(pid, socket);
        File.WriteAllLines(raw, rows);
        Console.WriteLine(
            $"viewers={viewers} seconds={Figures.F(clock.Elapsed.TotalSeconds, "F0")} engine_conns_before={before} engine_conns_before_after_idle={beforeAfterIdle} " +
            $"engine_conns_during_min={during.Min()} engine_conns_during_max={during.Max()} engine_conns_after={after} " +
            $"samples_per_viewer_per_s={Figures.F(received / (double)viewers / clock.Elapsed.TotalSeconds)} " +
            $"cpu_s={Figures.F(cpu, "F3")} idle_cpu_s_per_min={Figures.F(idleRate, "F3")} " +
            $"cpu_s_per_viewer_min={Figures.F(cpu / minutes / viewers, "F4")} net_cpu_s_per_viewer_min={Figures.F((cpu / minutes - idleRate) / viewers, "F4")} " +
            $"errors={failures.Count}");
        return 0;
    }
}
