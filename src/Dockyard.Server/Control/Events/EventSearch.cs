using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Searches the stored events for a caller. Administrators see every event; anyone else the container, service and
/// node events of the collections they may view: the distinct collections present are read with an index skip
/// (one seek per collection), decided once each (<see cref="CollectionDecisions.AllowedAsync"/>), and the allowed
/// ones become an <c>IN</c> list in the query, so a page never reads rows the caller cannot see. Reads are not audited.
/// </summary>
internal sealed class EventSearch(
    IDbContextFactory<DockyardDbContext> contexts,
    CollectionDecisions decisions,
    ControlDecisions control)
{
    // A loose index scan on (collection, time_nano): one index seek per distinct collection, on SQLite and PostgreSQL.
    private const string DistinctCollections = """
        WITH RECURSIVE c(x) AS (
            SELECT MIN(collection) FROM engine_events
            UNION ALL
            SELECT (SELECT MIN(collection) FROM engine_events WHERE collection > c.x) FROM c WHERE c.x IS NOT NULL)
        SELECT x AS "Value" FROM c WHERE x IS NOT NULL
        """;

    public async Task<EventVisibility> VisibilityAsync(Principal principal, CancellationToken cancellationToken) =>
        new(principal, (await control.AdministerAsync(principal, "view every event", cancellationToken)).IsAllowed, decisions);

    public async Task<EventPage> SearchAsync(Principal principal, EventFilter filter, CancellationToken cancellationToken)
    {
        var administrator = (await control.AdministerAsync(principal, "view every event", cancellationToken)).IsAllowed;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.EngineEvents.AsNoTracking();
        if (!administrator)
        {
            var collections = (await db.Database.SqlQueryRaw<string>(DistinctCollections).ToListAsync(cancellationToken))
                .Select(c => CollectionPath.TryParse(c, out var path) ? path : null).OfType<CollectionPath>().ToList();
            var containers = await AllowedAsync(principal, "container", collections, cancellationToken);
            var services = await AllowedAsync(principal, "service", collections, cancellationToken);
            var nodes = await AllowedAsync(principal, "node", collections, cancellationToken);
            if (containers.Count + services.Count + nodes.Count == 0)
            {
                return new EventPage([], null);
            }

            query = query.Where(e =>
                (e.Type == "container" && containers.Contains(e.Collection!))
                || (e.Type == "service" && services.Contains(e.Collection!))
                || (e.Type == "node" && nodes.Contains(e.Collection!)));
        }

        query = Apply(query, filter);
        var rows = await query.OrderByDescending(e => e.TimeNano).ThenByDescending(e => e.Id).Take(filter.Limit + 1).ToListAsync(cancellationToken);
        var more = rows.Count > filter.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var items = rows.Select(r => EventView.From(ToStored(r))).ToList();
        return new EventPage(items, more ? EventFilter.CursorOf(rows[^1].TimeNano, rows[^1].Id) : null);
    }

    public static StoredEvent ToStored(EngineEventEntity row) => new(
        row.Id, row.TimeNano, row.Engine, row.NodeId, row.Type, row.Action, row.Detail, row.ActorId, row.ActorName,
        EventRecords.Deserialize(row.Attributes), row.Scope, row.Collection, row.UserName, row.Reconciled, row.DedupKey);

    private static IQueryable<EngineEventEntity> Apply(IQueryable<EngineEventEntity> query, EventFilter filter)
    {
        if (filter.SinceNano is { } since)
        {
            query = query.Where(e => e.TimeNano >= since);
        }

        if (filter.UntilNano is { } until)
        {
            query = query.Where(e => e.TimeNano <= until);
        }

        if (filter.Type is { } type)
        {
            query = query.Where(e => e.Type == type);
        }

        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        if (filter.Node is { } node)
        {
            query = query.Where(e => e.NodeId == node);
        }

        if (filter.Actor is { } actor)
        {
            query = query.Where(e => e.ActorId == actor || e.ActorName == actor);
        }

        if (filter.User is { } user)
        {
            query = query.Where(e => e.UserName == user);
        }

        if (filter.Before is { } before)
        {
            var (time, id) = before;
            query = query.Where(e => e.TimeNano < time || (e.TimeNano == time && e.Id < id));
        }

        return query;
    }

    private async Task<List<string>> AllowedAsync(Principal principal, string type, List<CollectionPath> collections, CancellationToken cancellationToken)
    {
        var (view, kind) = EventVisibility.Kind(type)!.Value;
        return [.. (await decisions.AllowedAsync(principal, view, kind, collections, cancellationToken)).Select(c => c.Value)];
    }
}
