using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dockyard.Server.Data;

#pragma warning disable EF1001 // Internal EF Core API: the only way to create the connection without EF's SQL functions.

/// <summary>
/// EF Core's SQLite connection, minus the SQL functions EF registers on every connection it creates (<c>regexp</c>
/// and the <c>ef_*</c> decimal helpers; Dockyard's queries use none of them). Microsoft.Data.Sqlite re-registers a
/// connection's functions on every <c>Open</c>, and EF opens and closes the connection around each query: on a
/// manifest GET that was eight native registrations plus eight finalizable handles per query, and finalizing them
/// kept a core a third busy under load (measured with dotnet-trace and dotnet-dump's finalize queue).
/// </summary>
internal sealed class SqliteConnectionWithoutFunctions(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    protected override DbConnection CreateDbConnection()
    {
        var connectionString = GetValidatedConnectionString();
        CreateDatabaseFilePrivately(connectionString);
        return new BusyWaitingSqliteConnection(connectionString);
    }

    /// <summary>
    /// SQLite would create a missing database file 0644 (less the umask), and its <c>-wal</c>/<c>-shm</c> files with the
    /// same mode: create it 0600 first (<see cref="PrivateFiles"/>).
    /// </summary>
    private static void CreateDatabaseFilePrivately(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (builder.Mode is SqliteOpenMode.ReadWriteCreate && source.Length > 0 && source != ":memory:"
            && !source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            PrivateFiles.CreateEmptyFileIfMissing(Path.GetFullPath(source));
        }
    }
}
