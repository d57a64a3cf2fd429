using System.Data;
using System.Data.Common;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Audit;

/// <summary>
/// Inserts entries with one prepared ADO.NET command reused for every row. Pull batches insert thousands of rows a
/// second; EF's change tracking cost several times more CPU per row than the statement itself (measured in
/// bench/audit-pass.sh). Column names follow the model's snake_case mapping; <c>@name</c> parameters work on SQLite
/// and PostgreSQL alike.
/// </summary>
internal static class AuditInsert
{
    private static readonly string[] Columns =
    [
        "id", "time", "actor_kind", "actor_name", "actor_id", "auth_method", "source_ip", "user_agent", "action", "repository",
        "reference", "digest", "resource", "organization", "outcome", "reason", "request_id", "details", "hash",
    ];

    private static readonly string Sql =
        $"INSERT INTO audit_entries ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select(c => "@" + c))})";

    public static async Task ExecuteAsync(DockyardDbContext db, DbTransaction transaction, IReadOnlyList<AuditEntryEntity> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Sql;
        var parameters = new DbParameter[Columns.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "@" + Columns[i];

            // Typed up front: Npgsql cannot prepare a parameter whose type it would have to guess from a null.
            parameters[i].DbType = Columns[i] is "id" or "time" or "actor_id" ? DbType.Int64 : DbType.String;
            command.Parameters.Add(parameters[i]);
        }

        if (entries.Count > 1)
        {
            await command.PrepareAsync(cancellationToken);
        }

        foreach (var e in entries)
        {
            Set(parameters[0], e.Id);
            Set(parameters[1], e.Time.UtcTicks);
            Set(parameters[2], e.ActorKind);
            Set(parameters[3], e.ActorName);
            Set(parameters[4], e.ActorId);
            Set(parameters[5], e.AuthMethod);
            Set(parameters[6], e.SourceIp);
            Set(parameters[7], e.UserAgent);
            Set(parameters[8], e.Action);
            Set(parameters[9], e.Repository);
            Set(parameters[10], e.Reference);
            Set(parameters[11], e.Digest);
            Set(parameters[12], e.Resource);
            Set(parameters[13], e.Organization);
            Set(parameters[14], e.Outcome);
            Set(parameters[15], e.Reason);
            Set(parameters[16], e.RequestId);
            Set(parameters[17], e.Details);
            Set(parameters[18], e.Hash);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static void Set(DbParameter parameter, object? value) => parameter.Value = value ?? DBNull.Value;
}
