using System.Data.Common;

namespace Dockyard.Server.Backup;

/// <summary>What a backup needs from a database, read with plain SQL (the same on both providers and on a snapshot file).</summary>
internal sealed record DatabaseSnapshot(
    string SchemaVersion,
    IReadOnlyList<BackupBlob> Blobs,
    IReadOnlySet<string> BlobsBeingDeleted,
    IReadOnlyList<(string Repository, string Digest, string MediaType)> Manifests,
    IReadOnlyList<(string Repository, string Tag, string Digest)> Tags,
    long Repositories,
    long AuditEntries,
    long LastAuditId)
{
    public BackupCounts Counts => new(Repositories, Manifests.Count, Tags.Count, Blobs.Count, Blobs.Sum(b => b.Size), AuditEntries, LastAuditId);

    /// <summary>Reads the listing from an open connection (one read transaction, so the parts agree).</summary>
    public static async Task<DatabaseSnapshot> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var blobs = new Dictionary<string, long>(StringComparer.Ordinal);
        var deleting = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in QueryAsync(connection, transaction, "SELECT digest, size, deleting_since FROM blobs", cancellationToken))
        {
            blobs[row.GetString(0)] = row.GetInt64(1);
            if (!row.IsDBNull(2))
            {
                deleting.Add(row.GetString(0));
            }
        }

        var manifests = new List<(string, string, string)>();
        await foreach (var row in QueryAsync(connection, transaction, "SELECT repository, digest, media_type, size FROM manifests", cancellationToken))
        {
            manifests.Add((row.GetString(0), row.GetString(1), row.GetString(2)));

            // Manifest bodies are blobs too; list each once even if its blob row is missing.
            blobs.TryAdd(row.GetString(1), row.GetInt64(3));
        }

        var tags = new List<(string, string, string)>();
        await foreach (var row in QueryAsync(connection, transaction, "SELECT repository, name, manifest_digest FROM tags", cancellationToken))
        {
            tags.Add((row.GetString(0), row.GetString(1), row.GetString(2)));
        }

        var repositories = await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM repositories", cancellationToken);
        var auditEntries = await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM audit_entries", cancellationToken);
        var lastAuditId = await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(id), 0) FROM audit_entries", cancellationToken);
        string schema = "none";
        await foreach (var row in QueryAsync(connection, transaction, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY \"MigrationId\" DESC LIMIT 1", cancellationToken))
        {
            schema = row.GetString(0);
        }

        await transaction.CommitAsync(cancellationToken);
        return new DatabaseSnapshot(
            schema,
            [.. blobs.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => new BackupBlob(b.Key, b.Value))],
            deleting,
            manifests,
            tags,
            repositories,
            auditEntries,
            lastAuditId);
    }

    private static async IAsyncEnumerable<DbDataReader> QueryAsync(DbConnection connection, DbTransaction transaction, string sql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return reader;
        }
    }

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
