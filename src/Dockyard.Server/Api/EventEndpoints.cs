using Dockyard.Server.Access;
using Dockyard.Server.Control.Events;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/events</c>: the cluster's engine events as Dockyard stored them — search newest first with keyset
/// pages, or follow live as Server-Sent Events with the same filters. A caller sees the events of the containers,
/// services and nodes it may view (administrators everything); reads are not audited.
/// </summary>
internal static class EventEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var events = api.MapGroup("/events").WithTags("Events")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        events.MapGet("/", SearchAsync).WithName("SearchEvents")
            .WithSummary("Engine events newest first: since/until (RFC 3339 or unix seconds), type, action, node, actor (id or name), user, stack, limit (≤ 500), before (the previous page's next cursor).");
        events.MapGet("/stream", StreamAsync).WithName("StreamEvents")
            .WithSummary("Live engine events as Server-Sent Events (data: one event as JSON; event: gap when events were dropped for a slow reader), same filters.");
    }

    private static async Task<IResult> SearchAsync(
        HttpContext context, EventSearch search, string? since, string? until, string? type, string? action, string? node, string? actor, string? user, int? limit, string? before,
        string? stack, CancellationToken cancellationToken)
    {
        var filter = EventFilter.Parse(since, until, type, action, node, actor, user, limit, before, stack);
        return Results.Ok(await search.SearchAsync(context.GetPrincipal(), filter, cancellationToken));
    }

    private static async Task StreamAsync(
        HttpContext context, EventSearch search, EventBroadcaster broadcaster, string? since, string? until, string? type, string? action, string? node, string? actor, string? user, string? stack)
    {
        var filter = EventFilter.Parse(since, until, type, action, node, actor, user, null, null, stack);
        await EventStreamResponder.StreamAsync(context, context.GetPrincipal(), filter, search, broadcaster);
    }
}
