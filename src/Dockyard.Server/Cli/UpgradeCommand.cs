using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Hosting;
using Dockyard.Server.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard upgrade --check [--data DIR]</c>, run with the NEW version's binary and configuration before it takes over:
/// this build's version, the schema the database has (refused when newer than this build), the migrations the new
/// version would apply, the free disk on the data volume (at least twice the database, as a migration may copy
/// tables), and the age of the last backup (the newest <c>system.backup</c> audit entry). One line per check,
/// <c>ok</c>, <c>warning</c> or <c>FAILED</c>, then a summary; exit 0 when ready (warnings allowed), 1 when a check
/// failed, 2 when the data directory or database is missing. It reads only: nothing is created or migrated.
/// </summary>
internal static class UpgradeCommand
{
    /// <summary>A backup older than this is worth a warning: what changed since would be lost by a rollback.</summary>
    private static readonly TimeSpan StaleBackup = TimeSpan.FromDays(1);

    private enum Outcome
    {
        Ok,
        Warning,
        Failed,
    }

    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        var check = new Option<bool>("--check") { Description = "Check whether this version can take over the data (schema, pending migrations, free disk, last backup)." };
        var command = new Command("upgrade", "Check before upgrading: schema version, pending migrations, free disk, last backup.") { check, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (!parse.GetValue(check))
            {
                parse.InvocationConfiguration.Error.WriteLine(
                    "error: use `dockyard upgrade --check`; the upgrade itself is: take a backup, install the new binary, restart (docs/operations.md, \"Upgrade\").");
                return 2;
            }

            var settings = new Dictionary<string, string?>();
            DataDirectoryOption.Apply(parse, data, settings);
            using var host = DockyardApp.BuildTool(settings, DataDirectoryAccess.Existing);
            var lines = await CheckAsync(host.Services, cancellationToken);
            foreach (var (outcome, text) in lines)
            {
                output.WriteLine($"{Label(outcome),-8} {text}");
            }

            var failed = lines.Count(l => l.Outcome == Outcome.Failed);
            var warnings = lines.Count(l => l.Outcome == Outcome.Warning);
            var summary = failed == 0 ? "upgrade check: ready" : $"upgrade check: not ready, {Count(failed, "check failed", "checks failed")}";
            output.WriteLine(warnings == 0 ? summary : $"{summary}, {Count(warnings, "warning", "warnings")}");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task<List<(Outcome Outcome, string Text)>> CheckAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var build = BuildInfo.Current;
        var lines = new List<(Outcome, string)> { (Outcome.Ok, $"version: Dockyard {build.Version} (commit {build.ShortCommit})") };

        var migrator = services.GetRequiredService<DatabaseMigrator>();
        var status = await migrator.GetStatusAsync(cancellationToken);
        var provider = status.Provider[(status.Provider.LastIndexOf('.') + 1)..];
        lines.Add(migrator.RefuseNewer(status) is { } newer
            ? (Outcome.Failed, $"schema: {newer.Message}")
            : status.Schema is { } schema
                ? (Outcome.Ok, $"schema: {schema} ({provider}, {status.Applied.Count} migrations applied)")
                : (Outcome.Ok, "schema: none (empty database)"));
        lines.Add(status.Pending.Count == 0
            ? (Outcome.Ok, "pending migrations: none")
            : (Outcome.Ok, $"pending migrations: {status.Pending.Count}, applied when this version starts (or by dockyard migrate): {string.Join(", ", status.Pending)}"));

        var contexts = services.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        lines.Add(await DiskAsync(services, db, cancellationToken));
        lines.Add(await LastBackupAsync(db, status, cancellationToken));
        return lines;
    }

    /// <summary>Free space on the data volume against the database's size: a migration may rewrite (copy) tables.</summary>
    private static async Task<(Outcome, string)> DiskAsync(IServiceProvider services, DockyardDbContext db, CancellationToken cancellationToken)
    {
        var directory = services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value.FullPath;
        var free = (DataVolume.TryRead(directory) ?? throw new IOException($"Cannot examine the volume of {directory}.")).FreeBytes;
        long database;
        if (db.Database.IsSqlite())
        {
            var file = db.Database.GetDbConnection().DataSource;
            database = new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        }
        else
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_database_size(current_database())";
            database = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            await connection.CloseAsync();
        }

        return free < 2 * database
            ? (Outcome.Failed, $"free disk: {Size(free)} free on {directory}, less than twice the database ({Size(database)}); free space first")
            : (Outcome.Ok, $"free disk: {Size(free)} free on {directory} (database {Size(database)})");
    }

    /// <summary>The newest <c>system.backup</c> audit entry (the backup verb writes it when it finishes).</summary>
    private static async Task<(Outcome, string)> LastBackupAsync(DockyardDbContext db, DatabaseMigrationStatus status, CancellationToken cancellationToken)
    {
        const string TakeOne = "(dockyard backup DEST)";
        DateTimeOffset? last = null;
        if (status.Applied.Count > 0)
        {
            try
            {
                last = await db.AuditEntries.AsNoTracking()
                    .Where(e => e.Action == AuditActions.SystemBackup)
                    .OrderByDescending(e => e.Id)
                    .Select(e => (DateTimeOffset?)e.Time)
                    .FirstOrDefaultAsync(cancellationToken);
            }
            catch (DbException error)
            {
                return (Outcome.Warning, $"last backup: the audit trail could not be read ({error.Message}); take a backup before upgrading {TakeOne}");
            }
        }

        if (last is not { } time)
        {
            return (Outcome.Warning, $"last backup: no backup recorded; take one before upgrading {TakeOne}");
        }

        var age = TimeProvider.System.GetUtcNow() - time;
        var when = $"{Age(age)} ({time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)})";
        return age > StaleBackup
            ? (Outcome.Warning, $"last backup: {when}; take a fresh one before upgrading {TakeOne}")
            : (Outcome.Ok, $"last backup: {when}");
    }

    private static string Label(Outcome outcome) => outcome switch
    {
        Outcome.Ok => "ok",
        Outcome.Warning => "warning",
        _ => "FAILED",
    };

    private static string Age(TimeSpan age) => age.TotalHours < 1
        ? $"{Math.Max(0, (int)age.TotalMinutes)} min ago"
        : age.TotalHours < 48 ? $"{(int)age.TotalHours} h ago" : $"{(int)age.TotalDays} d ago";

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    private static string Size(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        if (bytes < 1024)
        {
            return $"{bytes} B";
        }

        var value = bytes / 1024.0;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
