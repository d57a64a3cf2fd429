using System.Text.Json;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Dockyard.Server.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Jobs;

/// <summary>
/// The garbage collection schedule as changed at run time: an override of <see cref="GarbageCollectionOptions.Enabled"/>
/// and <see cref="GarbageCollectionOptions.Interval"/> kept in the <c>settings</c> table (key <see cref="SettingKey"/>),
/// which <see cref="GarbageCollectionService"/> follows. Changes are for system administrators, take the
/// <see cref="Caller"/> and are recorded (<c>settings.gc.update</c>, <c>settings.gc.reset</c>).
/// </summary>
internal sealed class GarbageCollectionScheduleStore(
    IDbContextFactory<DockyardDbContext> contexts, IOptions<GarbageCollectionOptions> options, AccessAuthorizer authorizer, AuditedOperations audited, TimeProvider time)
{
    public const string SettingKey = "gc.schedule";

    /// <summary>Shortest interval an override may set: a collection walks every blob.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(10);

    private const string Refusal = "Only system administrators may change the garbage collection schedule.";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Replaced on every change; the old one is cancelled (see LdapSettingsStore).
    private CancellationTokenSource _changed = new();

    /// <summary>Cancelled when the schedule is next changed through this store (this process; other replicas read it on their next wake-up).</summary>
    public CancellationToken Changed => Volatile.Read(ref _changed).Token;

    /// <summary>The schedule in force: the stored override, else the configuration.</summary>
    public async Task<GarbageCollectionSchedule> GetAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == SettingKey, cancellationToken);
        var stored = row is null ? null : JsonSerializer.Deserialize<StoredSchedule>(row.ValueJson, Json);
        var schedule = stored is null
            ? new GarbageCollectionSchedule(configured.Enabled, configured.Interval, false, null, null)
            : new GarbageCollectionSchedule(stored.Enabled, TimeSpan.FromSeconds(stored.IntervalSeconds), true, stored.UpdatedBy, row!.UpdatedAt);
        return schedule with { ConfiguredEnabled = configured.Enabled, ConfiguredInterval = configured.Interval };
    }

    /// <summary>Stores an override: <paramref name="enabled"/> and <paramref name="interval"/> (<c>12h</c>, <c>1d</c>; null keeps the one in force).</summary>
    public Task<GarbageCollectionSchedule> SetAsync(Caller caller, bool enabled, string? interval, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.GcScheduleUpdate, "system/gc/schedule").WithFields(("enabled", enabled), ("interval", interval)),
            token => AuthorizeAsync(caller, token),
            async token =>
            {
                var current = await GetAsync(token);
                var every = interval is { Length: > 0 } text ? DurationText.Parse("interval", text.Trim()) : current.Interval;
                if (every < MinimumInterval)
                {
                    throw DomainException.Invalid("interval", $"At least {DurationText.Format(MinimumInterval)}: each collection walks every blob.");
                }

                await SaveAsync(new StoredSchedule(enabled, (long)every.TotalSeconds, caller.Principal.Name), token);
                return await GetAsync(token);
            },
            cancellationToken);

    /// <summary>Removes the override: the configuration's schedule applies again.</summary>
    public Task ResetAsync(Caller caller, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.GcScheduleReset, "system/gc/schedule"),
            token => AuthorizeAsync(caller, token),
            async token =>
            {
                await using var db = await contexts.CreateDbContextAsync(token);
                await db.Settings.Where(s => s.Key == SettingKey).ExecuteDeleteAsync(token);
                Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
            },
            cancellationToken);

    private async Task<AccessDecision> AuthorizeAsync(Caller caller, CancellationToken cancellationToken) =>
        await authorizer.IsSystemAdministratorAsync(caller.Principal, cancellationToken)
            ? AccessDecision.Allowed
            : AccessDecision.Deny(Refusal, DomainException.Forbidden(Refusal));

    private async Task SaveAsync(StoredSchedule schedule, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var json = JsonSerializer.Serialize(schedule, Json);
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == SettingKey, cancellationToken);
        if (row is null)
        {
            db.Settings.Add(new SettingEntity { Key = SettingKey, ValueJson = json, UpdatedAt = time.GetUtcNow() });
        }
        else
        {
            row.ValueJson = json;
            row.UpdatedAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
        Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
    }

    private sealed record StoredSchedule(bool Enabled, long IntervalSeconds, string? UpdatedBy);
}
