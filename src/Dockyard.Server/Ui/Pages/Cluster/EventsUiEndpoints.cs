using Dockyard.Server.Access;
using Dockyard.Server.Control.Events;

namespace Dockyard.Server.Ui.Pages.Cluster;

/// <summary>
/// The events page's live feed: <c>GET /_ui/events/stream</c>, Server-Sent Events on the UI's cookie session, the
/// same responder and filters as <c>/api/v1/events/stream</c> (a GET that changes nothing: no antiforgery needed).
/// </summary>
internal static class EventsUiEndpoints
{
    public const string StreamPath = "/_ui/events/stream";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(StreamPath, StreamAsync).ExcludeFromDescription();

    private static async Task StreamAsync(
        HttpContext context, EventSearch search, EventBroadcaster broadcaster, string? since, string? until, string? type, string? action, string? node, string? actor, string? user, string? stack)
    {
        var principal = context.GetPrincipal();
        if (!principal.IsAuthenticated)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        EventFilter filter;
        try
        {
            filter = EventFilter.Parse(since, until, type, action, node, actor, user, null, null, stack);
        }
        catch (Errors.DomainException error)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(error.Message, context.RequestAborted);
            return;
        }

        await EventStreamResponder.StreamAsync(context, principal, filter, search, broadcaster);
    }
}
