using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntryEntity>
{
    public void Configure(EntityTypeBuilder<AuditEntryEntity> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(x => x.Id);

        // The writer assigns ids itself (last + 1 under its lock): the chain needs a gapless sequence.
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.ActorKind).HasMaxLength(32);
        builder.Property(x => x.ActorName).HasMaxLength(256);
        builder.Property(x => x.AuthMethod).HasMaxLength(32);
        builder.Property(x => x.SourceIp).HasMaxLength(64);
        builder.Property(x => x.Action).HasMaxLength(64);
        builder.Property(x => x.Repository).HasMaxLength(256);
        builder.Property(x => x.Reference).HasMaxLength(256);
        builder.Property(x => x.Digest).HasMaxLength(160);
        builder.Property(x => x.Organization).HasMaxLength(128);
        builder.Property(x => x.Outcome).HasMaxLength(16);
        builder.Property(x => x.RequestId).HasMaxLength(128);
        builder.Property(x => x.Hash).HasMaxLength(64);

        // Few indexes on purpose: every pull inserts a row, and each index is another B-tree write. Time ranges,
        // one repository, an owner's organization and one actor are the selective filters (an actor filter scanned
        // the whole trail: 1.3 s at a million entries, bench --scale); action filters scan in id order (keyset pages
        // stay cheap for frequent actions).
        builder.HasIndex(x => x.Time);
        builder.HasIndex(x => new { x.Repository, x.Id });
        builder.HasIndex(x => new { x.Organization, x.Id });
        builder.HasIndex(x => new { x.ActorName, x.Id });
    }
}
