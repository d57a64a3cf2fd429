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
        List<EngineEventEntity> rows;
        if (administrator)
        {
            rows = await Page(Apply(db.EngineEvents.AsNoTracking(), filter), filter).ToListAsync(cancellationToken);
        }
        else
        {
            // One indexed read per visible collection ((collection, time_nano), newest first, at most a page each),
            // merged here: an OR over several collections would make the database sort every matching row.
            var collections = (await db.Database.SqlQueryRaw<string>(DistinctCollections).ToListAsync(cancellationToken))
                .Select(c => CollectionPath.TryParse(c, out var path) ? path : null).OfType<CollectionPath>().ToList();
            var visible = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var type in new[] { "container", "service", "node" }.Where(t => filter.Type is null || filter.Type == t))
            {
                foreach (var collection in await AllowedAsync(principal, type, collections, cancellationToken))
                {
                    if (!visible.TryGetValue(collection, out var types))
                    {
                        visible[collection] = types = [];
                    }

                    types.Add(type);
                }
            }

            rows = [];
            foreach (var (collection, types) in visible)
            {
                var query = db.EngineEvents.AsNoTracking().Where(e => e.Collection == collection && types.Contains(e.Type));
                rows.AddRange(await Page(Apply(query, filter), filter).ToListAsync(cancellationToken));
            }

            rows = [.. rows.OrderByDescending(e => e.TimeNano).ThenByDescending(e => e.Id).Take(filter.Limit + 1)];
        }

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
        EventRecords.Deserialize(row.Attributes), row.Scope, row.Collection, row.UserName, row.Reconciled, row.DedupKey)
    { Stack = row.Stack };

    private static IQueryable<EngineEventEntity> Page(IQueryable<EngineEventEntity> query, EventFilter filter) =>
        query.OrderByDescending(e => e.TimeNano).ThenByDescending(e => e.Id).Take(filter.Limit + 1);

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

        if (filter.Stack is { } stack)
        {
            query = query.Where(e => e.Stack == stack);
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
