using System.Data;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Dockyard.Server.Data;

/// <summary>
/// Applies the configured provider's migration set (<c>dockyard migrate</c> and <c>MigrateOnStart</c>). Each
/// migration is applied on its own so progress can be reported; EF Core takes the provider's migration lock
/// around each step (a lock table on SQLite, an advisory lock on PostgreSQL), so replicas starting together
/// apply every migration once.
/// </summary>
internal sealed partial class DatabaseMigrator(IDbContextFactory<DockyardDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    /// <summary>The migrations of the configured provider already applied and still pending, oldest first.</summary>
    public async Task<DatabaseMigrationStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var applied = await AppliedAsync(db, cancellationToken);
        var pending = db.Database.GetMigrations().Where(m => !applied.Contains(m)).ToList();
        return new DatabaseMigrationStatus(db.Database.ProviderName ?? "unknown", applied, pending);
    }

    /// <summary>Applies every pending migration in order; <paramref name="progress"/> hears of each before and after.</summary>
    /// <returns>The migrations applied, in order (empty when the schema was current).</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(IProgress<MigrationStep>? progress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var applied = await AppliedAsync(db, cancellationToken);
        var pending = db.Database.GetMigrations().Where(m => !applied.Contains(m)).ToList();
        if (pending.Count == 0)
        {
            return [];
        }

        LogMigrating(pending.Count);
        var migrator = db.GetService<IMigrator>();
        for (var i = 0; i < pending.Count; i++)
        {
            progress?.Report(new MigrationStep(pending[i], i + 1, pending.Count, Elapsed: null));
            var started = Stopwatch.GetTimestamp();
            await migrator.MigrateAsync(pending[i], cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogApplied(pending[i], elapsed.TotalMilliseconds);
            progress?.Report(new MigrationStep(pending[i], i + 1, pending.Count, elapsed));
        }

        return pending;
    }

    /// <summary>
    /// Applied migration ids, oldest first, read with one plain query. EF Core's history repository would first build
    /// a model for its history table through the conventions (~120 ms of every restart), and on a fresh PostgreSQL
    /// database query the missing table and log that as an error; so the table's existence is asked first.
    /// </summary>
    private static async Task<List<string>> AppliedAsync(DockyardDbContext db, CancellationToken cancellationToken)
    {
        const string Table = HistoryRepository.DefaultTableName;
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = db.Database.IsSqlite()
                ? $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{Table}'"
                : $"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{Table}'";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                return [];
            }

            command.CommandText = $"SELECT \"MigrationId\" FROM \"{Table}\" ORDER BY \"MigrationId\"";
            var applied = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }

            return applied;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Applying {Count} database migrations")]
    private partial void LogMigrating(int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Applied database migration {Migration} in {ElapsedMs:F0} ms")]
    private partial void LogApplied(string migration, double elapsedMs);
}
