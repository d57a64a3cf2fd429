using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dockyard.Bench.Scale;

/// <summary>
/// The installation's database, opened directly (the server is stopped): SQLite's <c>dockyard.db</c> in the data
/// directory or a PostgreSQL connection string. One transaction per <see cref="RowsPerTransaction"/> rows.
/// </summary>
internal sealed class ScaleDatabase : IDisposable
{
    public const int RowsPerTransaction = 50_000;

    private long _sinceCommit;

    public ScaleDatabase(string dataDirectory, string? postgres)
    {
        IsSqlite = postgres is null;
        if (postgres is null)
        {
            var file = Path.Combine(dataDirectory, "dockyard.db");
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"{file} does not exist: start Dockyard once on the data directory first (it creates the schema)");
            }

            Connection = new SqliteConnection($"Data Source={file};Pooling=False");
        }
        else
        {
            Connection = new NpgsqlConnection(postgres);
        }

        Connection.Open();
        if (IsSqlite)
        {
            // A generator's shortcuts, for this process only: a crash means generating again.
            Execute("PRAGMA synchronous = OFF");
            Execute("PRAGMA cache_size = -1000000");
        }

        Transaction = Connection.BeginTransaction();
    }

    public bool IsSqlite { get; }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; private set; }

    public long Rows { get; private set; }

    public void Wrote(int rows)
    {
        Rows += rows;
        _sinceCommit += rows;
        if (_sinceCommit >= RowsPerTransaction)
        {
            Commit();
        }
    }

    public void Commit()
    {
        Transaction.Commit();
        Transaction.Dispose();
        Transaction = Connection.BeginTransaction();
        _sinceCommit = 0;
    }

    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = IsSqlite && sql.StartsWith("PRAGMA", StringComparison.Ordinal) ? null : Transaction;
        command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Query(sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public DbCommand Query(string sql, params (string Name, object Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Ids of the rows of <paramref name="table"/> by name, for rows whose ids the database assigned.</summary>
    public Dictionary<string, long> Ids(string table, string nameColumn, string prefix)
    {
        using var command = Query($"SELECT {nameColumn}, id FROM {table} WHERE {nameColumn} LIKE @prefix", ("@prefix", prefix + "%"));
        using var reader = command.ExecuteReader();
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            ids[reader.GetString(0)] = reader.GetInt64(1);
        }

        return ids;
    }

    public void Dispose()
    {
        Transaction.Commit();
        Transaction.Dispose();
        Connection.Dispose();
    }
}
