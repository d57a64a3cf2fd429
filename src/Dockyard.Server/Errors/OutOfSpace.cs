using Dockyard.Registry.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dockyard.Server.Errors;

/// <summary>
/// Recognises a write refused because the storage is full, wherever it happened: a file write (<c>ENOSPC</c>,
/// <c>EDQUOT</c>: <see cref="StorageFull"/>), SQLite (<c>SQLITE_FULL</c>, 13) or PostgreSQL (<c>53100 disk_full</c>),
/// also when wrapped (EF Core's <c>DbUpdateException</c>). The wire formats' error translators answer it 507 with a
/// message (<c>Distribution/OciErrors</c>, <c>Api/ApiResults</c>); the audit trail defers the entries of reads and
/// logins that hit it instead of failing them.
/// </summary>
internal static class OutOfSpace
{
    private const int SqliteFull = 13;
    private const string PostgresDiskFull = "53100";

    public static bool Is(Exception? error)
    {
        if (StorageFull.IsOutOfSpace(error))
        {
            return true;
        }

        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is SqliteException { SqliteErrorCode: SqliteFull } or PostgresException { SqlState: PostgresDiskFull })
            {
                return true;
            }
        }

        return false;
    }
}
