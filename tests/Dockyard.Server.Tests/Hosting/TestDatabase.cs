using Dockyard.Server.Data;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// The database a test's Dockyard keeps its metadata in: SQLite in the data directory (the default), or a fresh
/// database on the collection's private PostgreSQL. Tests that must hold on both providers take one of these.
/// </summary>
public abstract class TestDatabase
{
    public static TestDatabase Sqlite { get; } = new SqliteDatabase();

    public abstract DatabaseProvider Provider { get; }

    public static TestDatabase Postgres(PostgresFixture postgres) => new PostgresDatabase(postgres);

    /// <summary>Configuration for a new, empty database (each call is a different database on PostgreSQL).</summary>
    public abstract Task<Dictionary<string, string?>> CreateAsync();

    public override string ToString() => Provider.ToString();

    private sealed class SqliteDatabase : TestDatabase
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

        public override Task<Dictionary<string, string?>> CreateAsync() => Task.FromResult(new Dictionary<string, string?>());
    }

    private sealed class PostgresDatabase(PostgresFixture postgres) : TestDatabase
    {
        public override DatabaseProvider Provider => DatabaseProvider.Postgres;

        public override async Task<Dictionary<string, string?>> CreateAsync() => new()
        {
            ["Dockyard:Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["Dockyard:Database:ConnectionString"] = await postgres.CreateDatabaseAsync(),
        };
    }
}
