using Dockyard.Server.Addressing;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Exec;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>GET /api/v1/containers/{ref}/exec?cmd=&amp;user=</c>: a terminal in a container over a WebSocket, for clients
/// with a token (Bearer or Basic). The protocol is the browser terminal's (<see cref="Control.Exec.TerminalRelay"/>):
/// binary frames both ways, JSON text frames <c>{"type":"resize","cols":c,"rows":r}</c> from the client. Refusals
/// come before the upgrade as ProblemDetails (401, 403, 404, 400); see <see cref="ExecTerminal"/>. A browser attaches
/// cached Basic credentials to a WebSocket opened by any page, so an <c>Origin</c> header, when present, must be this
/// server's own (<see cref="OwnOrigin"/>): anything else is 403 before the caller or the container is looked at.
/// </summary>
internal static class ContainerExecEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/containers/{reference}/exec", ExecAsync)
            .WithTags("Containers")
            .WithName("ExecContainer")
            .WithSummary("WebSocket: a terminal in the container (cmd: auto = /bin/bash, else /bin/sh; or a command line; user: name or uid[:gid]). Needs exec in the container's collection.")
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ExecAsync(string reference, string? cmd, string? user, HttpContext context, ExecTerminal terminal, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiResults.Invalid("connection", "This endpoint is a WebSocket: connect with an Upgrade: websocket request.");
        }

        if (!OwnOrigin.IsAbsentOrOwn(context))
        {
            return ApiResults.From(DomainException.Forbidden("A terminal may not be opened from another site's page: the Origin header is not this server."));
        }

        await terminal.RunAsync(context, Caller.Of(context), reference, cmd, user, lifetime.ApplicationStopping);
        return Results.Empty;
    }
}
