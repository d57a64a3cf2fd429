using System.Collections.Concurrent;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Names the Dockyard user behind a container, service or node event by matching it to the audit trail: an action done
/// through Dockyard is recorded by <see cref="AuditedOperations"/> as <c>&lt;type&gt;.&lt;verb&gt;</c> on
/// <c>&lt;type&gt;s/&lt;name or id&gt;</c>, successful, within <see cref="Window"/> of the event. The audit row commits
/// after the engine answered — usually after the event arrived — so events are matched after they are stored: each
/// new attributable event is retried every second for <see cref="Window"/>, then given up (nobody acted through
/// Dockyard). The audit trail rather than an in-memory registry of expected events because it is shared: the replica
/// that served the request need not be the one consuming the engine's stream.
/// </summary>
internal sealed partial class EventAttribution(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, ILogger<EventAttribution> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<long, Pending> _pending = new();

    public int PendingCount => _pending.Count;

    public void Track(IEnumerable<StoredEvent> events)
    {
        var now = time.GetUtcNow();
        foreach (var stored in events)
        {
            if (!stored.Reconciled && stored.UserName is null && Verbs(stored.Type, stored.Action) is not null)
            {
                _pending[stored.Id] = new Pending(stored, now);
            }
        }
    }

    /// <summary>One pass: matches pending events against recent audit entries and stores the users found.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        var now = time.GetUtcNow();
        var pending = _pending.Values.ToList();
        var resources = pending.SelectMany(p => Resources(p.Event)).Distinct(StringComparer.Ordinal).ToList();
        var earliest = pending.Min(p => FromNano(p.Event.TimeNano)) - Window;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var entries = await db.AuditEntries.AsNoTracking()
                .Where(a => a.Time >= earliest && a.Outcome == AuditOutcomes.Success && a.Resource != null && resources.Contains(a.Resource))
                .Select(a => new { a.Time, a.Action, a.Resource, a.ActorName })
                .ToListAsync(cancellationToken);
            foreach (var item in pending)
            {
                var at = FromNano(item.Event.TimeNano);
                var candidates = Resources(item.Event).ToHashSet(StringComparer.Ordinal);
                var verbs = Verbs(item.Event.Type, item.Event.Action)!;
                var match = entries
                    .Where(a => candidates.Contains(a.Resource!) && (a.Time - at).Duration() <= Window && Matches(a.Action, item.Event.Type, verbs))
                    .OrderBy(a => (a.Time - at).Duration())
                    .FirstOrDefault();
                if (match is not null)
                {
                    await db.EngineEvents.Where(e => e.Id == item.Event.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.UserName, match.ActorName), cancellationToken);
                    _pending.TryRemove(item.Event.Id, out _);
                }
                else if (now - item.Since > Window + TimeSpan.FromSeconds(1))
                {
                    _pending.TryRemove(item.Event.Id, out _);
                }
            }
        }
        catch (Exception error) when (error is System.Data.Common.DbException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            LogAttributionFailed(error);
        }
    }

    private static DateTimeOffset FromNano(long nano) => DateTimeOffset.UnixEpoch.AddTicks(nano / 100);

    private static IEnumerable<string> Resources(StoredEvent e)
    {
        var plural = e.Type + "s/";
        yield return plural + e.ActorId;
        if (e.ActorId.Length > 12 && e.Type == "container")
        {
            yield return plural + e.ActorId[..12];
        }

        if (e.ActorName is { Length: > 0 } name)
        {
            yield return plural + name;
        }
    }

    private static bool Matches(string action, string type, string[] verbs)
    {
        if (!action.StartsWith(type + ".", StringComparison.Ordinal))
        {
            return false;
        }

        var verb = action[(type.Length + 1)..];
        return verbs.Length == 0 ? verb is not ("delete" or "remove") : verbs.Contains(verb, StringComparer.Ordinal);
    }

    /// <summary>The audit verbs that cause an event (empty array: any verb but a removal); null: never attributed.</summary>
    private static string[]? Verbs(string type, string action) => (type, action) switch
    {
        ("container", "create") => ["create", "run"],
        ("container", "start") => ["start", "restart", "run", "create"],
        ("container", "stop") => ["stop", "restart"],
        ("container", "kill") => ["kill", "stop", "restart", "delete", "remove"],
        ("container", "die") => ["stop", "kill", "restart", "delete", "remove"],
        ("container", "restart") => ["restart"],
        ("container", "pause") => ["pause"],
        ("container", "unpause") => ["unpause"],
        ("container", "destroy") => ["delete", "remove"],
        ("service", "create") => ["create", "deploy"],
        ("service", "update") => ["update", "scale", "rollback", "deploy"],
        ("service", "remove") => ["delete", "remove"],
        ("node", "update") => [],
        ("node", "remove") => ["delete", "remove"],
        _ => null,
    };

    [LoggerMessage(EventId = 4531, Level = LogLevel.Warning, Message = "Matching engine events to audit entries failed; retrying")]
    private partial void LogAttributionFailed(Exception error);

    private sealed record Pending(StoredEvent Event, DateTimeOffset Since);
}
