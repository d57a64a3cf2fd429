using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Data;

/// <summary>
/// Prepares the database before the server accepts requests: SQLite's WAL mode, then pending migrations
/// (<see cref="DatabaseOptions.MigrateOnStart"/>) or, when automatic migration is off, a refusal to start on a
/// schema older than this build.
/// </summary>
internal sealed class DatabaseInitializer(
    IDbContextFactory<DockyardDbContext> contexts,
    DatabaseMigrator migrator,
    IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (db.Database.IsSqlite())
            {
                // WAL lets readers run while a writer commits; it persists in the database file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }

        if (options.Value.MigrateOnStart)
        {
            await migrator.MigrateAsync(progress: null, cancellationToken);
            return;
        }

        var status = await migrator.GetStatusAsync(cancellationToken);
        if (status.Pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database schema is older than this version of Dockyard: {status.Pending.Count} migration(s) pending " +
                $"({string.Join(", ", status.Pending)}). Run `dockyard migrate` (with the same configuration), or set " +
                $"{DatabaseOptions.Section}:MigrateOnStart=true.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
