using Dockyard.Server.Access;
using Dockyard.Server.Control.Streaming;

namespace Dockyard.Server.Control.Stats;

/// <summary>
/// <c>GET …/containers/{ref}/stats</c> for the API and the UI alike: Server-Sent Events when the client accepts
/// <c>text/event-stream</c> (<see cref="StatsEventStream"/>), otherwise one sample as JSON. Refusals are thrown as
/// <see cref="Errors.DomainException"/> before anything is written.
/// </summary>
internal static class ContainerStatsHttp
{
    public static async Task<IResult> ServeAsync(HttpContext context, string reference)
    {
        var stats = context.RequestServices.GetRequiredService<ContainerStatsService>();
        var principal = context.GetPrincipal();
        var aborted = context.RequestAborted;
        if (!ServerSentEventWriter.IsRequested(context.Request))
        {
            return Results.Ok(await stats.GetSampleAsync(principal, reference, aborted));
        }

        var (_, subscription) = await stats.SubscribeAsync(principal, reference, aborted);
        using (subscription)
        {
            await StatsEventStream.RunAsync(context.Response, subscription, aborted);
        }

        return Results.Empty;
    }
}
