using System.Diagnostics;
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
    /// Applied migration ids, oldest first. Asks whether the history table exists first: on a fresh PostgreSQL
    /// database EF Core would otherwise query the missing table and log the failure as an error.
    /// </summary>
    private static async Task<List<string>> AppliedAsync(DockyardDbContext db, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        if (!await history.ExistsAsync(cancellationToken))
        {
            return [];
        }

        return (await history.GetAppliedMigrationsAsync(cancellationToken)).Select(r => r.MigrationId).ToList();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Applying {Count} database migrations")]
    private partial void LogMigrating(int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Applied database migration {Migration} in {ElapsedMs:F0} ms")]
    private partial void LogApplied(string migration, double elapsedMs);
}
