using System.Text;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Data;

/// <summary>The model on PostgreSQL; owns the migration set in <c>Data/Migrations/Postgres</c>.</summary>
internal sealed class PostgresDockyardDbContext(DbContextOptions<PostgresDockyardDbContext> options) : DockyardDbContext(options)
{
    /// <summary>Byte-wise collation: what SQLite's default BINARY collation and the OCI spec's lexical order mean.</summary>
    public const string OrdinalCollation = "C";

    public override bool HasSharedLocks => true;

    public override async Task LockAsync(ReadOnlyMemory<long> keys, CancellationToken cancellationToken)
    {
        if (keys.Length == 0)
        {
            return;
        }

        // One round trip: select-list expressions run left to right, so the keys are taken in the order given.
        var sql = new StringBuilder("SELECT ");
        var parameters = new object[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append("pg_advisory_xact_lock({").Append(i).Append("})");
            parameters[i] = keys.Span[i];
        }

#pragma warning disable EF1002 // Only parameter placeholders are concatenated; the keys travel as parameters.
        await Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
#pragma warning restore EF1002
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // Catalog and tag-list pagination compare and order these names; the database's default collation
        // (often en_US.UTF-8) would order them linguistically, unlike SQLite and the `last` cursor clients send.
        modelBuilder.Entity<RepositoryEntity>().Property(x => x.Name).UseCollation(OrdinalCollation);
        modelBuilder.Entity<TagEntity>().Property(x => x.Name).UseCollation(OrdinalCollation);
    }
}
