using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// The SIEM sinks' positions in the trail: one <c>delivery_cursors</c> row per sink (<c>audit:NAME</c>) holding the last
/// entry id the sink confirmed. A missing row is created at <see cref="AuditOptions.SinkStart"/>: after the last entry
/// (<see cref="AuditSinkStart.Now"/>) or at 0 (<see cref="AuditSinkStart.Beginning"/>).
/// </summary>
internal sealed class AuditSinkCursors(IDbContextFactory<DockyardDbContext> contexts, IOptions<AuditOptions> options, TimeProvider time)
{
    /// <summary>The cursor row of <paramref name="sink"/>.</summary>
    public static string CursorName(string sink) => "audit:" + sink;

    /// <summary>
    /// Creates the missing cursors of <paramref name="sinks"/> inside the caller's transaction, given the last entry
    /// before it appends (the writer does this, so "now" is exactly before its first append).
    /// </summary>
    public async Task CreateMissingAsync(DockyardDbContext db, IEnumerable<string> sinks, long lastId, CancellationToken cancellationToken)
    {
        var start = options.Value.SinkStart == AuditSinkStart.Beginning ? 0 : lastId;
        foreach (var sink in sinks)
        {
            await InsertIfMissingAsync(db, CursorName(sink), start, cancellationToken);
        }
    }

    /// <summary>The position of <paramref name="sink"/>'s cursor, creating it when missing.</summary>
    public async Task<long> ReadAsync(string sink, CancellationToken cancellationToken)
    {
        var name = CursorName(sink);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cursor = await db.DeliveryCursors.AsNoTracking().Where(c => c.Name == name).Select(c => (long?)c.Position).FirstOrDefaultAsync(cancellationToken);
        if (cursor is { } position)
        {
            return position;
        }

        var start = options.Value.SinkStart == AuditSinkStart.Beginning ? 0 : await LastIdAsync(db, cancellationToken);
        await InsertIfMissingAsync(db, name, start, cancellationToken);
        return await db.DeliveryCursors.AsNoTracking().Where(c => c.Name == name).Select(c => c.Position).FirstAsync(cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> entries after <paramref name="after"/> in id order, and the last id of the trail.</summary>
    public async Task<(List<Data.Entities.AuditEntryEntity> Entries, long LastId)> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(limit).ToListAsync(cancellationToken);
        var last = entries.Count == limit ? await LastIdAsync(db, cancellationToken) : entries.Count > 0 ? entries[^1].Id : after;
        return (entries, last);
    }

    /// <summary>
    /// Moves the cursor from <paramref name="from"/> to <paramref name="to"/> (compare-and-set); false when another
    /// process moved it meanwhile (a replica that took over the sink while this one stalled).
    /// </summary>
    public async Task<bool> AdvanceAsync(string sink, long from, long to, CancellationToken cancellationToken)
    {
        var name = CursorName(sink);
        var now = time.GetUtcNow().UtcTicks;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE delivery_cursors SET position = {to}, updated_at = {now} WHERE name = {name} AND position = {from}",
            cancellationToken);
        return changed == 1;
    }

    private static async Task<long> LastIdAsync(DockyardDbContext db, CancellationToken cancellationToken) =>
        await db.AuditEntries.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;

    private async Task InsertIfMissingAsync(DockyardDbContext db, string name, long position, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO delivery_cursors (name, position, updated_at) VALUES ({name}, {position}, {now}) ON CONFLICT (name) DO NOTHING",
            cancellationToken);
    }
}
