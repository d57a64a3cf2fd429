using System.Diagnostics;
using System.Net.Sockets;

namespace Dockyard.Bench.Control;

/// <summary>Engine event generator for the ingestion pass: talks to the engines' sockets directly, not to Dockyard.</summary>
internal static class EventCommands
{
    /// <summary>
    /// events-gen SECONDS RATE CONCURRENCY SOCKET=CONTAINER...: sends <c>POST /v1.41/containers/{id}/exec</c> (an exec
    /// created, never started: one "exec_create" event each, and the engine's cheapest event — no disk, no containerd;
    /// kill calls with an ignored signal managed 17/s here under heavy load) to the given containers, spread over them, at RATE
    /// calls/s in total (paced by a schedule, CONCURRENCY calls in flight per engine) for SECONDS s. Prints calls made,
    /// failures (more than 1 % fails the command), the achieved rate and the wall-clock window (unix ms).
    /// </summary>
    public static async Task<int> GenerateAsync(double seconds, double rate, int concurrency, string[] targets)
    {
        var engines = targets.Select(t =>
        {
            var at = t.IndexOf('=', StringComparison.Ordinal);
            var socket = t[..at];
            return (Client: UnixClient(socket, concurrency), Container: t[(at + 1)..]);
        }).ToArray();
        var total = (long)(seconds * rate);
        long next = -1, ok = 0, failed = 0;
        string? firstError = null;
        var startUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, engines.Length * concurrency).Select(_ => Task.Run(async () =>
        {
            long k;
            while ((k = Interlocked.Increment(ref next)) < total)
            {
                var target = engines[k % engines.Length];
                var due = TimeSpan.FromSeconds(k / rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                try
                {
                    using var content = new StringContent("""{"Cmd":["/bin/true"]}""", System.Text.Encoding.UTF8, "application/json");
                    using var response = await target.Client.PostAsync($"/v1.41/containers/{target.Container}/exec", content);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref ok);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null);
                    }
                }
                catch (HttpRequestException ex)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, ex.Message, null);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalSeconds;
        var endUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var engine in engines)
        {
            engine.Client.Dispose();
        }

        Console.WriteLine($"calls={ok} failed={failed} seconds={Figures.F(elapsed)} calls_per_s={Figures.F(ok / elapsed, "F0")} " +
                          $"start_unix_ms={startUnixMs} end_unix_ms={endUnixMs}" + (firstError is null ? "" : $" first_error=\"{firstError.ReplaceLineEndings(" ")}\""));
        // A few refused or timed-out calls on a busy engine do not spoil the pass; more than 1 % does.
        return failed * 100 <= ok + failed ? 0 : 1;
    }

    private static HttpClient UnixClient(string socketPath, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri("http://engine"), Timeout = TimeSpan.FromSeconds(30) };
}
