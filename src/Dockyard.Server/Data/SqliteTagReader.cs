using System.Collections.Concurrent;
using System.Data;
using Dockyard.Registry;
using Dockyard.Registry.Metadata;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Data;

/// <summary>
/// The read every pull by tag makes on SQLite (tag → manifest row), without EF: a few connections kept open, each with
/// the statement prepared once. It stays a database read, so it answers exactly what the last commit says — of this
/// process, another one (CLI verbs) or a replica sharing the file — whereas EF renting a context, opening the
/// connection, preparing the statement and materializing the entity cost several times the statement itself.
/// In WAL mode (<see cref="DatabaseInitializer"/>) each execution is its own read transaction and never waits for a writer.
/// PostgreSQL keeps EF's compiled query (<see cref="EfRegistryIndex.ResolveTagAsync"/>).
/// </summary>
internal sealed class SqliteTagReader(IOptions<DatabaseOptions> database, IOptions<DataDirectoryOptions> dataDirectory) : IDisposable
{
    /// <summary>Idle connections kept open; a burst beyond it opens more and closes them afterwards.</summary>
    private const int MaxIdle = 8;

    private const string Sql =
        "SELECT m.digest, m.media_type, m.size, m.artifact_type, m.subject, m.annotations, m.created_at FROM tags t "
        + "JOIN manifests m ON m.repository = t.repository AND m.digest = t.manifest_digest "
        + "WHERE t.repository = $repository AND t.name = $tag LIMIT 1";

    private readonly string _connectionString = DataServiceCollectionExtensions.SqliteConnectionString(database.Value, dataDirectory.Value);
    private readonly ConcurrentQueue<Statement> _idle = new();
    private int _idleCount;
    private bool _disposed;

    public ManifestRecord? Resolve(string repository, string tag)
    {
        var statement = Rent();
        ManifestRecord? record;
        try
        {
            record = Read(statement, repository, tag);
        }
        catch
        {
            statement.Dispose();
            throw;
        }

        // Only once its reader is closed: another request may take the statement the moment it is back.
        Return(statement);
        return record;
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        while (_idle.TryDequeue(out var statement))
        {
            statement.Dispose();
        }
    }

    private static ManifestRecord? Read(Statement statement, string repository, string tag)
    {
        statement.Repository.Value = repository;
        statement.Tag.Value = tag;
        using var row = statement.Command.ExecuteReader(CommandBehavior.SingleRow);
        return row.Read()
            ? new ManifestRecord
            {
                Digest = Digest.Parse(row.GetString(0)),
                MediaType = row.GetString(1),
                Size = row.GetInt64(2),
                ArtifactType = row.IsDBNull(3) ? null : row.GetString(3),
                Subject = row.IsDBNull(4) ? null : Digest.Parse(row.GetString(4)),
                AnnotationsJson = row.IsDBNull(5) ? null : row.GetString(5),
                CreatedAt = new DateTimeOffset(row.GetInt64(6), TimeSpan.Zero),   // UtcTicksConverter's storage
            }
            : null;
    }

    private Statement Rent()
    {
        if (_idle.TryDequeue(out var statement))
        {
            Interlocked.Decrement(ref _idleCount);
            return statement;
        }

        return Statement.Open(_connectionString);
    }

    private void Return(Statement statement)
    {
        if (Volatile.Read(ref _disposed) || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            statement.Dispose();
            return;
        }

        _idle.Enqueue(statement);
    }

    private sealed class Statement(SqliteConnection connection, SqliteCommand command, SqliteParameter repository, SqliteParameter tag) : IDisposable
    {
        public SqliteCommand Command => command;

        public SqliteParameter Repository => repository;

        public SqliteParameter Tag => tag;

        public static Statement Open(string connectionString)
        {
            var connection = new BusyWaitingSqliteConnection(connectionString);
            try
            {
                connection.Open();
                var command = connection.CreateCommand();
                command.CommandText = Sql;
                var repository = command.Parameters.Add("$repository", SqliteType.Text);
                var tag = command.Parameters.Add("$tag", SqliteType.Text);
                command.Prepare();
                return new Statement(connection, command, repository, tag);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            command.Dispose();
            connection.Dispose();
        }
    }
}
