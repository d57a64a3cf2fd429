using Dockyard.Server.Addressing;
using Dockyard.Server.Api;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Exec;
using Dockyard.Server.Errors;
using Dockyard.Server.Identity;
using Dockyard.Server.Ui.Auth;

namespace Dockyard.Server.Ui.Terminal;

/// <summary>
/// <c>GET /_ui/containers/{ref}/terminal?cmd=&amp;user=</c>: the browser terminal's WebSocket, for the signed-in UI
/// session (its cookie; no token). A WebSocket is not covered by the same-origin policy and carries the cookie from
/// any page, so the <c>Origin</c> header must be this server's own (<see cref="OwnOrigin"/>): anything else is 403
/// before the upgrade, and so is a request without one. The terminal lives as long as the
/// session: signing out or revoking it on this replica closes it at once (<see cref="UiSessionSignals"/>); on another
/// replica the session is re-checked every <see cref="SessionRecheck"/>.
/// </summary>
internal static partial class ContainerTerminalEndpoints
{
    public const string PathTemplate = "/_ui/containers/{reference}/terminal";

    /// <summary>How often an open terminal re-checks that its session still holds (sign-out on another replica, password change, deactivation).</summary>
    public static readonly TimeSpan SessionRecheck = TimeSpan.FromSeconds(15);

    /// <summary>The socket URL of the terminal in container <paramref name="reference"/>.</summary>
    public static string PathOf(string reference) => $"/_ui/containers/{Uri.EscapeDataString(reference)}/terminal";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(PathTemplate, TerminalAsync).ExcludeFromDescription();

    private static async Task<IResult> TerminalAsync(
        string reference, string? cmd, string? user, HttpContext context, ExecTerminal terminal, UiSessionSignals signals,
        UiSessionStore sessions, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Results.BadRequest();
        }

        if (!OwnOrigin.IsOwn(context))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (UiSession.Current(context) is not { } session)
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        using var watch = signals.Watch(session.Id, session.UserId);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(watch.Ended, lifetime.ApplicationStopping);
        var recheck = RecheckAsync(sessions, session.Id, ended, loggers.CreateLogger(typeof(ContainerTerminalEndpoints)));
        try
        {
            await terminal.RunAsync(context, Caller.Of(context), reference, cmd, user, ended.Token);
            return Results.Empty;
        }
        catch (DomainException error) when (!context.Response.HasStarted)
        {
            return Results.StatusCode(ApiResults.StatusOf(error.Kind));
        }
        finally
        {
            await ended.CancelAsync();
            await recheck;
        }
    }

    /// <summary>Ends the terminal when the session no longer holds (ended elsewhere); returns when the terminal has ended.</summary>
    private static async Task RecheckAsync(UiSessionStore sessions, long sessionId, CancellationTokenSource ended, ILogger logger)
    {
        while (!ended.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SessionRecheck, ended.Token);
                if (!await sessions.IsOpenAsync(sessionId, ended.Token))
                {
                    LogSessionGone(logger, sessionId);
                    await ended.CancelAsync();
                }
            }
            catch (OperationCanceledException) when (ended.IsCancellationRequested)
            {
                // The terminal ended.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database did not answer: the session was valid at connect; ask again next time.
                LogRecheckFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 4592, Level = LogLevel.Information, Message = "Terminal closed: UI session {SessionId} has ended")]
    private static partial void LogSessionGone(ILogger logger, long sessionId);

    [LoggerMessage(EventId = 4593, Level = LogLevel.Warning, Message = "Could not re-check the UI session of an open terminal")]
    private static partial void LogRecheckFailed(ILogger logger, Exception exception);
}
