using System.Net.WebSockets;
using System.Text;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Control.Exec;

/// <summary>
/// One terminal over a WebSocket, for both doors (<c>/api/v1/containers/{ref}/exec</c> with a token,
/// <c>/_ui/containers/{ref}/terminal</c> with the UI session): the exec is authorized, audited and started before the
/// upgrade, so a refusal is a plain HTTP status (401, 403, 404; 400 for a bad <c>cmd</c> or <c>user</c>); after it the
/// socket speaks <see cref="TerminalRelay"/>'s protocol, resizes go to the exec's TTY, and a start the container did not
/// allow (no shell, command not found, not running) is written to the terminal as text before the socket closes
/// with <see cref="NotStarted"/>.
/// </summary>
internal sealed partial class ExecTerminal(ExecService exec, TerminalRelay relay, ILogger<ExecTerminal> logger)
{
    /// <summary>Close reason when the process could not be started (the text frame before it says why).</summary>
    public const string NotStarted = "exec not started";

    /// <summary>
    /// Serves a WebSocket request as a terminal in container <paramref name="reference"/>; <paramref name="ended"/>
    /// (sign-out, shutdown) closes it with <see cref="TerminalRelay.SessionEnded"/>. Throws <see cref="Errors.DomainException"/>
    /// for what must be answered before the upgrade.
    /// </summary>
    public async Task RunAsync(HttpContext context, Caller caller, string reference, string? command, string? user, CancellationToken ended)
    {
        var request = ExecRequest.Parse(command, user);
        var aborted = context.RequestAborted;
        var outcome = await exec.StartAsync(caller, reference, request, aborted);
        var session = outcome.Session;
        // The relay disposes the stream; the session also lets go of the engine's response.
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(TerminalRelay.AcceptContext);
            if (session is null)
            {
                await RefuseAsync(socket, outcome.Message ?? NotStarted, aborted);
                return;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ended, aborted);
            var started = session;
            await relay.RunAsync(socket, started.Stream, (cols, rows, token) => started.ResizeAsync(rows, cols, token), stop.Token);
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    private async Task RefuseAsync(WebSocket socket, string message, CancellationToken cancellationToken)
    {
        LogNotStarted(logger, message);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message + "\r\n"), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TerminalRelay.CloseTimeout);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, NotStarted, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The browser left already.
        }
    }

    [LoggerMessage(EventId = 4591, Level = LogLevel.Information, Message = "Terminal not started: {Message}")]
    private static partial void LogNotStarted(ILogger logger, string message);
}
