using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Data;

/// <summary>
/// Prepares the database before the server accepts requests: SQLite's WAL mode, then pending migrations
/// (<see cref="DatabaseOptions.MigrateOnStart"/>) or, when automatic migration is off, a refusal to start on a
/// schema older than this build. A schema newer than this build (migrations it does not know) is refused either way.
/// </summary>
/// <remarks>
/// <c>dockyard serve</c> calls <see cref="Begin"/> as soon as the services exist, so the first context (the EF model,
/// SQLite's native library) and the migrations run on the second core while the endpoints are mapped; the hosted
/// service then only awaits that work. Either way nothing is served before it has finished.
/// </remarks>
internal sealed class DatabaseInitializer(
    IDbContextFactory<DockyardDbContext> contexts,
    DatabaseMigrator migrator,
    IOptions<DatabaseOptions> options) : IHostedService
{
    private readonly Lock _gate = new();
    private Task? _initialization;

    /// <summary>Starts the initialization in the background (once); the returned task completes when it is done.</summary>
    public Task Begin()
    {
        lock (_gate)
        {
            return _initialization ??= Task.Run(() => InitializeAsync(CancellationToken.None));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Begin().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// For commands that only work on existing data (<see cref="DataDirectoryAccess.Existing"/>): changes nothing, and
    /// refuses a database without Dockyard's schema, with pending migrations, or with migrations this build does not know.
    /// </summary>
    public async Task RequireCurrentSchemaAsync(CancellationToken cancellationToken)
    {
        var status = await migrator.GetStatusAsync(cancellationToken);
        if (migrator.RefuseNewer(status) is { } newer)
        {
            throw newer;
        }

        if (status.Applied.Count == 0)
        {
            throw new DataRefusedException("the database has no Dockyard schema yet (start the server or run `dockyard migrate` first)");
        }

        if (status.Pending.Count > 0)
        {
            throw new DataRefusedException(
                $"the database schema is older than this version of Dockyard ({status.Pending.Count} migration(s) pending: " +
                $"{string.Join(", ", status.Pending)}); run `dockyard migrate` or start the server first");
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (db.Database.IsSqlite())
            {
                // WAL lets readers run while a writer commits; it persists in the database file. A plain command:
                // EF Core's raw-SQL path costs ~50 ms on first use, and this is on the way to listening.
                var connection = db.Database.GetDbConnection();
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode=WAL;";
                await command.ExecuteNonQueryAsync(cancellationToken);
                await connection.CloseAsync();
            }
        }

        if (options.Value.MigrateOnStart)
        {
            await migrator.MigrateAsync(progress: null, cancellationToken);
            return;
        }

        var status = await migrator.GetStatusAsync(cancellationToken);
        if (migrator.RefuseNewer(status) is { } newer)
        {
            throw newer;
        }

        if (status.Pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database schema is older than this version of Dockyard: {status.Pending.Count} migration(s) pending " +
                $"({string.Join(", ", status.Pending)}). Run `dockyard migrate` (with the same configuration), or set " +
                $"{DatabaseOptions.Section}:MigrateOnStart=true.");
        }
    }
}
