using System.Text.Json;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// <c>engine_event_leases</c>: which replica consumes which engine's stream. A claim is a compare-and-set upsert that
/// succeeds only when the row is free, expired, or already ours; the holder renews it every third of
/// <see cref="EngineEventsOptions.LeaseDuration"/> and releases it (expires it) when it stops.
/// </summary>
internal sealed class EventLeases(IDbContextFactory<DockyardDbContext> contexts, IOptions<EngineEventsOptions> options, TimeProvider time)
{
    /// <summary>This replica's holder id (one per process).</summary>
    public string Holder { get; } = Guid.NewGuid().ToString("N");

    public async Task<bool> TryClaimAsync(string engine, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.LeaseDuration;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO engine_event_leases (engine, holder, expires_at, state_time_nano) VALUES ({engine}, {Holder}, {expires.UtcTicks}, 0)
            ON CONFLICT (engine) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE engine_event_leases.expires_at < {now.UtcTicks} OR engine_event_leases.holder = {Holder}
            """,
            cancellationToken);
        return changed == 1;
    }

    public async Task<bool> RenewAsync(string engine, CancellationToken cancellationToken)
    {
        var expires = time.GetUtcNow() + options.Value.LeaseDuration;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE engine_event_leases SET expires_at = {expires.UtcTicks} WHERE engine = {engine} AND holder = {Holder}",
            cancellationToken) == 1;
    }

    /// <summary>Expires our claim at once (the state stays), so another replica takes over without waiting.</summary>
    public async Task ReleaseAsync(string engine)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE engine_event_leases SET expires_at = 0 WHERE engine = {engine} AND holder = {Holder}",
            CancellationToken.None);
    }

    /// <summary>The last checkpoint of <paramref name="engine"/> (null: never consumed).</summary>
    public async Task<(long TimeNano, KnownObjects State)?> LoadAsync(string engine, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.EngineEventLeases.AsNoTracking().Where(l => l.Engine == engine).Select(l => new { l.StateTimeNano, l.State }).FirstOrDefaultAsync(cancellationToken);
        if (row?.State is null || row.StateTimeNano == 0)
        {
            return null;
        }

        return (row.StateTimeNano, JsonSerializer.Deserialize(row.State, EventsJsonContext.Default.KnownObjects) ?? new KnownObjects());
    }

    /// <summary>The holder of <paramref name="engine"/>'s stream while its claim is live, else null.</summary>
    public async Task<string?> HolderAsync(string engine, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.EngineEventLeases.AsNoTracking().Where(l => l.Engine == engine && l.ExpiresAt > now).Select(l => l.Holder).FirstOrDefaultAsync(cancellationToken);
    }
}
