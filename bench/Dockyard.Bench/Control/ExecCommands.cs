using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Dockyard.Bench.Control;

/// <summary>Exec echo round trip over <c>WebSocket /api/v1/containers/{ref}/exec</c> (TerminalRelay: binary frames both ways).</summary>
internal static class ExecCommands
{
    private const byte Key = (byte)'x';
    private const byte KillLine = 0x15; // Ctrl-U: the shell's line editor clears the line
    private static readonly TimeSpan KeyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// exec-echo BASE TOKEN CONTAINER COUNT RAW: opens a shell (<c>cmd=/bin/sh</c>, a tty: its line editor echoes),
    /// waits for the prompt to settle, then COUNT times sends one byte and times until a frame carrying it comes back
    /// (the line is cleared with Ctrl-U every 50 keys, untimed). RAW gets the round trips in ms.
    /// </summary>
    public static async Task<int> EchoAsync(string baseUrl, string token, string container, int count, string raw)
    {
        var uri = new UriBuilder(baseUrl) { Scheme = baseUrl.StartsWith("https", StringComparison.Ordinal) ? "wss" : "ws" };
        uri.Path = $"/api/v1/containers/{Uri.EscapeDataString(container)}/exec";
        uri.Query = "cmd=" + Uri.EscapeDataString("/bin/sh");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(uri.Uri, connect.Token);
        }
        catch (WebSocketException ex)
        {
            var status = (int)socket.HttpStatusCode;
            var hint = status is 404 or 405 ? " (endpoint missing? it is built by another issue #16 helper: measured once it is merged)" : "";
            throw new InvalidOperationException($"WebSocket {uri.Uri.PathAndQuery} answered {status}{hint}: {ex.Message}");
        }

        var frames = Channel.CreateUnbounded<byte[]>();
        using var stop = new CancellationTokenSource();
        var receiver = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        frames.Writer.TryComplete(new InvalidOperationException($"the server closed the terminal: {result.CloseStatus} {result.CloseStatusDescription}"));
                        return;
                    }

                    if (result.MessageType == WebSocketMessageType.Binary)
                    {
                        frames.Writer.TryWrite(buffer.AsSpan(0, result.Count).ToArray());
                    }
                }
            }
            catch (Exception ex)
            {
                frames.Writer.TryComplete(stop.IsCancellationRequested ? null : ex);
            }
        });

        // The prompt (and anything else the shell says first): wait until 500 ms pass without output.
        await DrainAsync(frames.Reader, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));

        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && i % 50 == 0)
            {
                await socket.SendAsync(new[] { KillLine }, WebSocketMessageType.Binary, true, CancellationToken.None);
                await DrainAsync(frames.Reader, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));
            }

            while (frames.Reader.TryRead(out _))
            {
            }

            var watch = Stopwatch.StartNew();
            await socket.SendAsync(new[] { Key }, WebSocketMessageType.Binary, true, CancellationToken.None);
            using var timeout = new CancellationTokenSource(KeyTimeout);
            try
            {
                while (Array.IndexOf(await frames.Reader.ReadAsync(timeout.Token), Key) < 0)
                {
                }
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException($"keystroke {i + 1}: no echo within {KeyTimeout.TotalSeconds} s");
            }

            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        await socket.SendAsync(new[] { KillLine }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync("exit\n"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        try
        {
            using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", close.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        await stop.CancelAsync();
        await receiver;
        Figures.WriteRaw(raw, times);
        Console.WriteLine($"keystrokes={times.Count} {Figures.Summary("echo_ms", times)}");
        return 0;
    }

    /// <summary>Reads frames until <paramref name="quiet"/> passes without one (at most <paramref name="limit"/>).</summary>
    private static async Task DrainAsync(ChannelReader<byte[]> reader, TimeSpan quiet, TimeSpan limit)
    {
        var total = Stopwatch.StartNew();
        while (total.Elapsed < limit)
        {
            using var wait = new CancellationTokenSource(quiet);
            try
            {
                await reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
