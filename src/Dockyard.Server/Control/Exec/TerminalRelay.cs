using System.Net.WebSockets;

namespace Dockyard.Server.Control.Exec;

/// <summary>
/// Pumps bytes between a browser terminal's WebSocket and a duplex stream to a process (an exec's hijacked engine
/// connection), in the protocol of <c>Ui/Frontend/terminal.js</c>:
/// <list type="bullet">
/// <item>stream → browser: binary frames, one per read, bytes unchanged. Nothing is decoded here: a UTF-8 character
/// split between two reads reaches the browser split, and xterm.js joins it (Portainer decodes each read and
/// drops the halves).</item>
/// <item>browser binary frames → stream, unchanged.</item>
/// <item>browser text frames: control messages (<see cref="TerminalControlMessage"/>), at most
/// <see cref="TerminalControlMessage.MaxLength"/> bytes; a resize calls the resize callback, anything else closes the
/// socket with 1008 (policy violation).</item>
/// </list>
/// Ending: the stream's end closes the socket with "process exited"; the browser leaving (close or abort) disposes the
/// stream, which closes the engine connection; the caller's token (sign-out, shutdown) closes the socket with
/// "session ended". Memory is two fixed buffers per session, whatever either side sends.
/// </summary>
internal sealed partial class TerminalRelay(ILogger<TerminalRelay> logger, TimeProvider time)
{
    /// <summary>Bytes read from the stream per frame. A terminal writes in small bursts; this bounds one frame.</summary>
    public const int OutputBufferSize = 16 * 1024;

    public const string ProcessExited = "process exited";

    public const string SessionEnded = "session ended";

    public const string ConnectionLost = "connection to the process lost";

    /// <summary>How long a close handshake may take before the socket is aborted.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How <c>AcceptWebSocketAsync</c> should accept a terminal socket: pings every 20 s, and a peer that does not
    /// answer one within 20 s is dropped (a vanished laptop must not hold an exec open), which ends the relay.
    /// </summary>
    public static WebSocketAcceptContext AcceptContext => new()
    {
        KeepAliveInterval = TimeSpan.FromSeconds(20),
        KeepAliveTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>
    /// Relays until either side ends or <paramref name="cancellationToken"/> fires; always disposes
    /// <paramref name="stream"/> and leaves <paramref name="socket"/> closed or aborted.
    /// </summary>
    public async Task RunAsync(WebSocket socket, Stream stream, Func<int, int, CancellationToken, Task> resize, CancellationToken cancellationToken)
    {
        using var outputStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var inputStop = new CancellationTokenSource();
        var output = PumpOutputAsync(socket, stream, outputStop.Token);
        var input = PumpInputAsync(socket, stream, resize, inputStop.Token);
        try
        {
            if (await Task.WhenAny(output, input) == output)
            {
                // The process side ended first (or the caller cancelled): say why, then wait for the browser's answer.
                var (status, reason) = await output;
                LogEnded(logger, reason);
                await CloseAsync(socket, status, reason);
                using var closeTimeout = new CancellationTokenSource(CloseTimeout, time);
                try
                {
                    await input.WaitAsync(closeTimeout.Token);
                }
                catch (OperationCanceledException)
                {
                    // The browser never answered the close: abort below.
                }
            }
            else
            {
                // The browser ended first: stop reading the process and let the engine connection go.
                var end = await input;
                LogEnded(logger, end.Reason);
                await outputStop.CancelAsync();
                await stream.DisposeAsync();
                await output;
                if (end.Status is { } status)
                {
                    await CloseAsync(socket, status, end.Reason);
                    await AwaitCloseAsync(socket);
                }
            }
        }
        finally
        {
            await inputStop.CancelAsync();
            await stream.DisposeAsync();
            await input;
            if (socket.State is not WebSocketState.Closed)
            {
                socket.Abort();
            }
        }
    }

    private async Task<(WebSocketCloseStatus Status, string Reason)> PumpOutputAsync(WebSocket socket, Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[OutputBufferSize];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return (WebSocketCloseStatus.NormalClosure, ProcessExited);
                }

                await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return (WebSocketCloseStatus.EndpointUnavailable, SessionEnded);
        }
        catch (ObjectDisposedException)
        {
            // The input side disposed the stream because the browser left.
            return (WebSocketCloseStatus.EndpointUnavailable, SessionEnded);
        }
        catch (WebSocketException)
        {
            // The browser vanished; the input side sees it too and ends the session.
            return (WebSocketCloseStatus.EndpointUnavailable, SessionEnded);
        }
        catch (IOException e)
        {
            LogPumpFailed(logger, e);
            return (WebSocketCloseStatus.InternalServerError, ConnectionLost);
        }
    }

    private async Task<InputEnd> PumpInputAsync(
        WebSocket socket, Stream stream, Func<int, int, CancellationToken, Task> resize, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var control = new byte[TerminalControlMessage.MaxLength];
        var controlLength = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        // Answer the browser's close with its own status (the handshake), or a plain normal closure.
                        return new InputEnd(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "closed by the browser");
                    case WebSocketMessageType.Binary:
                        await stream.WriteAsync(buffer.AsMemory(0, result.Count), cancellationToken);
                        await stream.FlushAsync(cancellationToken);
                        break;
                    default:
                        if (controlLength + result.Count > control.Length)
                        {
                            return new InputEnd(WebSocketCloseStatus.PolicyViolation, "control message too large");
                        }

                        buffer.AsSpan(0, result.Count).CopyTo(control.AsSpan(controlLength));
                        controlLength += result.Count;
                        if (!result.EndOfMessage)
                        {
                            break;
                        }

                        if (!TerminalControlMessage.TryParseResize(control.AsSpan(0, controlLength), out var cols, out var rows))
                        {
                            return new InputEnd(WebSocketCloseStatus.PolicyViolation, "unknown or malformed control message");
                        }

                        controlLength = 0;
                        await ResizeAsync(resize, cols, rows, cancellationToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return new InputEnd(null, "relay stopped");
        }
        catch (WebSocketException)
        {
            // The browser vanished without a close frame (tab killed, network gone, keep-alive timed out).
            return new InputEnd(null, "browser connection lost");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Writing to the process failed: it is gone; the output side reports how.
            LogPumpFailed(logger, e);
            return new InputEnd(WebSocketCloseStatus.InternalServerError, ConnectionLost);
        }
    }

    /// <summary>A failed resize (the process just exited, the engine refused) is logged; the session goes on.</summary>
    private async Task ResizeAsync(Func<int, int, CancellationToken, Task> resize, int cols, int rows, CancellationToken cancellationToken)
    {
        try
        {
            await resize(cols, rows, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogResizeFailed(logger, cols, rows, e);
        }
    }

    /// <summary>
    /// After the server's close frame, reads (and drops) what the browser still sends until its close frame, so the
    /// connection ends with a complete handshake rather than a reset that could discard the close frame in flight.
    /// </summary>
    private async Task AwaitCloseAsync(WebSocket socket)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(CloseTimeout, time);
        try
        {
            while (socket.State is WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
                if (result.MessageType is WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // No answer in time: the caller aborts the socket.
        }
    }

    private async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseTimeout, time);
        try
        {
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer is already gone; the caller aborts the socket.
        }
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Debug, Message = "Terminal session ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "Terminal relay lost its process connection")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Warning, Message = "Terminal resize to {Cols}x{Rows} failed")]
    private static partial void LogResizeFailed(ILogger logger, int cols, int rows, Exception exception);

    /// <summary>How the browser side ended: the close to send (none when the socket is already gone) and why.</summary>
    private readonly record struct InputEnd(WebSocketCloseStatus? Status, string Reason);
}
