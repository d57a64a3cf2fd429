using System.Data.Common;
using Dockyard.Server.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Health;

/// <summary>
/// Proves the database takes writes, in a transaction that is rolled back so nothing remains. SQLite: the database
/// file and its <c>-wal</c>/<c>-shm</c> files writable by this account (the kernel's answer: within a running process
/// SQLite reuses the descriptors it already has open, so a file made read-only under it still takes writes until the
/// next reopen — the next restart, when every write would fail), then a fresh, unpooled connection,
/// <c>BEGIN IMMEDIATE</c> and a scratch table. PostgreSQL: not a standby in recovery, and a
/// temporary table written (a read-only server or transaction refuses it).
/// </summary>
internal sealed class DatabaseWriteCheck(IDbContextFactory<DockyardDbContext> contexts, IOptions<DatabaseOptions> options)
{
    private const string Name = "database";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<ReadinessCheck> RunAsync()
    {
        var provider = options.Value.Provider;
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(timeout.Token);
            if (provider == DatabaseProvider.Sqlite)
            {
                if (!OperatingSystem.IsWindows() && UnwritableSqliteFile(db.Database.GetDbConnection().DataSource) is { } file)
                {
                    return new ReadinessCheck(
                        Name, false, $"attempt to write a readonly database: {file} ({UnixAccounts.Describe(file)}) is not writable by user {UnixAccounts.CurrentUserName()}");
                }

                await WriteSqliteAsync(db.Database.GetConnectionString() ?? string.Empty, timeout.Token);
            }
            else
            {
                var recovery = await WritePostgresAsync(db.Database, timeout.Token);
                if (recovery)
                {
                    return new ReadinessCheck(Name, false, "the PostgreSQL server is a standby in recovery: it takes no writes");
                }
            }

            return new ReadinessCheck(Name, true, $"{provider} takes writes");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new ReadinessCheck(Name, false, $"{provider} did not take a write within {Timeout.TotalSeconds:0} s");
        }
        catch (DbException ex)
        {
            return new ReadinessCheck(Name, false, $"cannot write to the {provider} database: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ReadinessCheck(Name, false, $"cannot reach the {provider} database: {ex.Message}");
        }
    }

    /// <summary>The first of the database's files that exists and this account may not write; null when all may be written.</summary>
    private static string? UnwritableSqliteFile(string? databaseFile)
    {
        if (string.IsNullOrEmpty(databaseFile))
        {
            return null;
        }

        return new[] { databaseFile, databaseFile + "-wal", databaseFile + "-shm" }
            .FirstOrDefault(f => File.Exists(f) && !UnixAccounts.CanWriteFile(f));
    }

    private static async Task WriteSqliteAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Mode = SqliteOpenMode.ReadWrite,
            DefaultTimeout = (int)Timeout.TotalSeconds,
        };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Closing the connection rolls back whatever a failed statement left open.
        command.CommandText = "BEGIN IMMEDIATE; CREATE TABLE dockyard_readyz_probe (x INTEGER); INSERT INTO dockyard_readyz_probe VALUES (1); ROLLBACK;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>True when the server is in recovery (a standby); else a rolled-back write succeeded or this threw.</summary>
    private static async Task<bool> WritePostgresAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await database.BeginTransactionAsync(cancellationToken);
            await using var command = database.GetDbConnection().CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = "SELECT pg_is_in_recovery()";
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return true;
            }

            command.CommandText = "CREATE TEMP TABLE dockyard_readyz_probe (x integer) ON COMMIT DROP; INSERT INTO dockyard_readyz_probe VALUES (1)";
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }
}
