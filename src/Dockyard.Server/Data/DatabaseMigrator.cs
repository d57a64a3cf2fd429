using System.Data.Common;
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
/// apply every migration once. Start-up on an empty database instead runs <see cref="SchemaScript"/>, the same SQL
/// in one transaction: EF Core's migrator spends ~0.3 s building models for the history table and each migration.
/// </summary>
internal sealed partial class DatabaseMigrator(
    IDbContextFactory<DockyardDbContext> contexts,
    ILogger<DatabaseMigrator> logger,
    ProductVersion? product = null)
{
    /// <summary>The migrations of the configured provider already applied and still pending, oldest first.</summary>
    public async Task<DatabaseMigrationStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var applied = await AppliedAsync(db, cancellationToken) ?? [];
        var known = db.Database.GetMigrations().ToList();
        var pending = known.Where(m => !applied.Contains(m)).ToList();
        return new DatabaseMigrationStatus(db.Database.ProviderName ?? "unknown", applied, pending)
        {
            Unknown = [.. applied.Where(m => !known.Contains(m))],
            Latest = known.Count > 0 ? known[^1] : null,
        };
    }

    /// <summary>
    /// The refusal for a database that a newer Dockyard migrated (it has migrations this build does not know): this
    /// build's code would misread what it does not know, so nothing runs on it. Null when the schema is not newer.
    /// </summary>
    public DataRefusedException? RefuseNewer(DatabaseMigrationStatus status) => status.Unknown.Count == 0
        ? null
        : new DataRefusedException(
            $"the database schema is {status.Schema} (newer than this build's {status.Latest ?? "none"}, Dockyard {product?.Value ?? "unknown"}); " +
            "run the newer Dockyard or restore the backup taken before the upgrade");

    /// <summary>
    /// Applies every pending migration in order; <paramref name="progress"/> hears of each before and after. Without
    /// <paramref name="progress"/> (start-up), an empty database gets the whole schema from <see cref="SchemaScript"/>.
    /// </summary>
    /// <returns>The migrations applied, in order (empty when the schema was current).</returns>
    /// <exception cref="DataRefusedException">The database has migrations this build does not know.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(IProgress<MigrationStep>? progress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var applied = await AppliedAsync(db, cancellationToken);
        var known = db.Database.GetMigrations().ToList();
        var pending = known.Where(m => applied?.Contains(m) != true).ToList();
        var unknown = applied?.Where(m => !known.Contains(m)).ToList() ?? [];
        if (RefuseNewer(new DatabaseMigrationStatus(db.Database.ProviderName ?? "unknown", applied ?? [], pending) { Unknown = unknown, Latest = known.LastOrDefault() }) is { } newer)
        {
            throw newer;
        }

        if (pending.Count == 0)
        {
            return [];
        }

        if (applied is null && progress is null)
        {
            var began = Stopwatch.GetTimestamp();
            if (await TryCreateSchemaAsync(db, cancellationToken))
            {
                LogCreatedSchema(pending.Count, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                return pending;
            }
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
    /// Applied migration ids, oldest first, or null when there is no history table (an empty database). Read with plain
    /// queries: EF Core's history repository would first build a model for its history table through the conventions
    /// (~120 ms of every restart), and on a fresh PostgreSQL database query the missing table and log that as an error.
    /// </summary>
    private static async Task<List<string>?> AppliedAsync(DockyardDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            if (!await HistoryExistsAsync(command, db.Database.IsSqlite(), cancellationToken))
            {
                return null;
            }

            command.CommandText = $"SELECT \"MigrationId\" FROM \"{HistoryRepository.DefaultTableName}\" ORDER BY \"MigrationId\"";
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
            await connection.CloseAsync();
        }
    }

    /// <summary>
    /// Runs <see cref="SchemaScript"/> in one transaction unless the history table exists by then; false when it did
    /// (another process got there first): the step-by-step path then follows and finds what that process applied.
    /// SQLite's transaction starts IMMEDIATE (Microsoft.Data.Sqlite's default), so a second process waits for the write
    /// lock; PostgreSQL's DDL is transactional, and replicas starting together queue on an advisory lock.
    /// </summary>
    private static async Task<bool> TryCreateSchemaAsync(DockyardDbContext db, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            if (!sqlite)
            {
                command.CommandText = $"SELECT pg_advisory_xact_lock({DatabaseLockKeys.SchemaCreation})";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            if (await HistoryExistsAsync(command, sqlite, cancellationToken))
            {
                return false;
            }

            command.CommandText = SchemaScript.For(sqlite ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static async Task<bool> HistoryExistsAsync(DbCommand command, bool sqlite, CancellationToken cancellationToken)
    {
        const string Table = HistoryRepository.DefaultTableName;
        command.CommandText = sqlite
            ? $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{Table}'"
            : $"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{Table}'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Applying {Count} database migrations")]
    private partial void LogMigrating(int count);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Created the database schema ({Count} migrations) in {ElapsedMs:F0} ms")]
    private partial void LogCreatedSchema(int count, double elapsedMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Applied database migration {Migration} in {ElapsedMs:F0} ms")]
    private partial void LogApplied(string migration, double elapsedMs);
}
