using Dockyard.Server.Access;
using Dockyard.Server.Control.Streaming;

namespace Dockyard.Server.Control.Logs;

/// <summary>
/// <c>GET …/containers/{ref}/logs</c> for the API and the UI alike: Server-Sent Events when the client accepts
/// <c>text/event-stream</c> (<see cref="LogEventStream"/>), otherwise <c>text/plain</c> (<see cref="LogTextStream"/>).
/// Refusals (bad query, unknown or hidden container, no logs permission, engine down) are thrown as
/// <see cref="Errors.DomainException"/> before anything is written.
/// </summary>
internal static class ContainerLogsHttp
{
    public static async Task ServeAsync(HttpContext context, string reference)
    {
        var services = context.RequestServices;
        var query = ContainerLogQuery.Parse(context.Request.Query, services.GetRequiredService<TimeProvider>());
        var aborted = context.RequestAborted;
        var source = await services.GetRequiredService<ContainerLogService>().OpenAsync(context.GetPrincipal(), reference, query, aborted);
        if (ServerSentEventWriter.IsRequested(context.Request))
        {
            await services.GetRequiredService<LogEventStream>().RunAsync(context.Response, source, aborted);
        }
        else
        {
            await LogTextStream.RunAsync(context.Response, source, aborted);
        }
    }
}
