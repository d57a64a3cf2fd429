using Microsoft.Data.Sqlite;

namespace Dockyard.Server.Data;

/// <summary>
/// A SQLite connection whose writers wait for the write lock inside SQLite (<c>sqlite3_busy_timeout</c>) instead of in
/// Microsoft.Data.Sqlite's managed retry, which sleeps a fixed 150 ms after every <c>SQLITE_BUSY</c>. With one writer
/// at a time, two writes that meet — the group commit's transaction and the search indexer's, say — made the second
/// one wait 150 ms even when the first held the lock for one: sequential tag PUTs had a 156 ms p99 from exactly that.
/// SQLite's own handler polls from 1 ms upward, so the waiter starts within milliseconds of the lock being free.
/// The wait is bounded by the same command timeout the managed retry used.
/// </summary>
internal sealed class BusyWaitingSqliteConnection(string connectionString) : SqliteConnection(connectionString)
{
    public override void Open()
    {
        base.Open();

        // Per native handle; pooled handles keep it, and setting it again is one field write, no statement.
        SQLitePCL.raw.sqlite3_busy_timeout(Handle, DefaultTimeout * 1000);
    }
}
