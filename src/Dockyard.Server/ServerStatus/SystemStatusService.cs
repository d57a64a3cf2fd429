using Dockyard.Registry;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Events;
using Dockyard.Server.Coordination;
using Dockyard.Server.Data;
using Dockyard.Server.Events;
using Dockyard.Server.Health;
using Dockyard.Server.Ldap;
using Dockyard.Server.Observability;
using Dockyard.Server.Policies;
using Dockyard.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.ServerStatus;

/// <summary>
/// Builds <see cref="SystemStatus"/> for <c>/system</c> and <c>GET /api/v1/system</c>. Reads only: the readiness
/// checks are <see cref="ReadinessProbe"/>'s (shared and cached with <c>/readyz</c>), job runs come from whatever
/// records them (audit entries, delivery cursors, webhook deliveries) and a job nothing records is said to be so.
/// Callers authorize (system administrators).
/// </summary>
internal sealed class SystemStatusService(
    IServiceProvider services,
    IDbContextFactory<DockyardDbContext> contexts,
    ReadinessProbe readiness,
    DatabaseMigrator migrator,
    ServerStart start,
    IConfiguration configuration,
    IOptions<DatabaseOptions> database,
    IOptions<StorageOptions> storage,
    IOptions<GarbageCollectionOptions> garbageCollection,
    IOptions<RetentionOptions> retention,
    IOptions<RegistryOptions> registry,
    IOptions<AuditOptions> audit,
    LdapSettingsStore ldap,
    TimeProvider time)
{
    /// <summary>
    /// How far back job runs are looked up in the audit trail. <c>audit_entries</c> has no index on the action, so
    /// the lookup reads the window's rows (through the time index); a busy registry records every pull there.
    /// </summary>
    public static readonly TimeSpan JobWindow = TimeSpan.FromDays(30);

    private static readonly (string Name, string Action)[] AuditedJobs =
    [
        ("Garbage collection", AuditActions.SystemGc),
        ("Retention", AuditActions.RetentionRun),
        ("LDAP sync", AuditActions.LdapSync),
        ("Audit retention", AuditActions.AuditCheckpoint),
        ("Backup", AuditActions.SystemBackup),
    ];

    public async Task<SystemStatus> GetAsync(CancellationToken cancellationToken)
    {
        var report = await readiness.GetAsync().WaitAsync(cancellationToken);
        var schema = await migrator.GetStatusAsync(cancellationToken);
        var build = BuildInfo.Current;
        return new SystemStatus
        {
            Version = build.Version,
            Commit = build.Commit,
            StartedAt = start.StartedAt,
            UptimeSeconds = start.UptimeSeconds,
            DatabaseProvider = database.Value.Provider.ToString().ToLowerInvariant(),
            StorageDriver = storage.Value.Driver.ToString().ToLowerInvariant(),
            SchemaVersion = schema.Schema,
            LatestMigration = schema.Latest,
            PendingMigrations = schema.Pending,
            Ready = report.Ready,
            Health = report.Checks,
            Coordination = await CoordinationAsync(cancellationToken),
            Jobs = await JobsAsync(cancellationToken),
            Configuration = ConfigurationView.Of(configuration),
        };
    }

    private async Task<CoordinationStatus> CoordinationAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var leases = await db.Leases.AsNoTracking().Where(l => l.ExpiresAt > now).OrderBy(l => l.Name).Take(100).ToListAsync(cancellationToken);
        var consumers = await db.EngineEventLeases.AsNoTracking().OrderBy(l => l.Engine)
            .Select(l => new { l.Engine, l.Holder, l.ExpiresAt }).Take(100).ToListAsync(cancellationToken);
        var self = services.GetService<EventLeases>()?.Holder;
        return new CoordinationStatus(
            CoordinationServiceCollectionExtensions.EffectiveMode(services).ToString().ToLowerInvariant(),
            [.. leases.Select(l => new LeaseStatus(l.Name, l.Holder, l.ExpiresAt, Live: true, ThisReplica: false))],
            [.. consumers.Select(c => new LeaseStatus(c.Engine, c.Holder, c.ExpiresAt, c.ExpiresAt > now, c.Holder == self))]);
    }

    private async Task<IReadOnlyList<JobStatus>> JobsAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - JobWindow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var actions = AuditedJobs.Select(j => j.Action).ToArray();
        var lastIds = await db.AuditEntries.AsNoTracking().Where(e => e.Time >= since && actions.Contains(e.Action))
            .GroupBy(e => e.Action).Select(g => g.Max(e => e.Id)).ToListAsync(cancellationToken);
        var lastRuns = (await db.AuditEntries.AsNoTracking().Where(e => lastIds.Contains(e.Id)).ToListAsync(cancellationToken))
            .ToDictionary(e => e.Action, StringComparer.Ordinal);
        var ldapSettings = await ldap.GetAsync(cancellationToken);
        var schedules = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [AuditActions.SystemGc] = garbageCollection.Value.Enabled ? $"every {Every(garbageCollection.Value.Interval)}" : "off (Dockyard:GarbageCollection:Enabled)",
            [AuditActions.RetentionRun] = retention.Value.Enabled ? $"every {Every(retention.Value.Interval)}" : "off (Dockyard:Retention:Enabled)",
            [AuditActions.LdapSync] = ldapSettings.Enabled && ldapSettings.SyncInterval > TimeSpan.Zero ? $"every {Every(ldapSettings.SyncInterval)}" : "off",
            [AuditActions.AuditCheckpoint] = audit.Value.Retention is { } kept && kept > TimeSpan.Zero ? $"hourly, keeping {Every(kept)}" : "off (Dockyard:Audit:Retention)",
            [AuditActions.SystemBackup] = null,
        };

        var jobs = new List<JobStatus>();
        foreach (var (name, action) in AuditedJobs)
        {
            var recorder = $"audit: {action}";
            jobs.Add(lastRuns.TryGetValue(action, out var run)
                ? new JobStatus(name, schedules[action], recorder, run.Time, run.Outcome, $"by {run.ActorName}" + (run.Reason is { } reason ? $": {reason}" : string.Empty))
                : new JobStatus(name, schedules[action], recorder, null, null, $"no run recorded in the last {JobWindow.TotalDays:0} days"));
        }

        jobs.Add(new JobStatus("Upload purge", $"every {Every(registry.Value.UploadPurgeInterval)}", null, null, null, "not recorded"));

        var lastDelivery = await db.WebhookDeliveries.AsNoTracking().Where(d => d.CompletedAt != null)
            .OrderByDescending(d => d.CompletedAt).Select(d => new { d.CompletedAt, d.Status }).FirstOrDefaultAsync(cancellationToken);
        var pending = await db.WebhookDeliveries.AsNoTracking().CountAsync(d => d.CompletedAt == null, cancellationToken);
        jobs.Add(new JobStatus("Webhook deliveries", null, "webhook_deliveries", lastDelivery?.CompletedAt, lastDelivery?.Status, $"{pending} pending"));

        var lastAudit = await db.AuditEntries.AsNoTracking().MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        var lastEvent = await db.RegistryOutbox.AsNoTracking().MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        foreach (var cursor in await db.DeliveryCursors.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken))
        {
            var (name, head) = cursor.Name.StartsWith("audit:", StringComparison.Ordinal)
                ? ($"Audit sink {cursor.Name["audit:".Length..]}", lastAudit)
                : cursor.Name == RegistryOutboxDispatcher.CursorName ? ("Registry event dispatcher", lastEvent) : (cursor.Name, (long?)null);
            var behind = head is { } newest ? $", {Math.Max(0, newest - cursor.Position)} behind" : string.Empty;
            jobs.Add(new JobStatus(name, null, $"delivery cursor: {cursor.Name}", cursor.UpdatedAt, null, $"at #{cursor.Position}{behind}"));
        }

        return jobs;
    }

    private static string Every(TimeSpan interval) =>
        interval.TotalDays >= 1 && interval.TotalDays % 1 == 0 ? $"{interval.TotalDays:0} d"
        : interval.TotalHours >= 1 && interval.TotalHours % 1 == 0 ? $"{interval.TotalHours:0} h"
        : interval.TotalMinutes >= 1 && interval.TotalMinutes % 1 == 0 ? $"{interval.TotalMinutes:0} min"
        : $"{interval.TotalSeconds:0} s";
}
