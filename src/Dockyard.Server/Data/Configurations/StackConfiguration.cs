using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class StackConfiguration : IEntityTypeConfiguration<StackEntity>
{
    public void Configure(EntityTypeBuilder<StackEntity> builder)
    {
        builder.ToTable("stacks");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Name).HasMaxLength(64);
        builder.Property(x => x.Collection).HasMaxLength(255);
        builder.Property(x => x.Version).HasMaxLength(128);
        builder.Property(x => x.Description).HasMaxLength(2000);
        builder.Property(x => x.SourceUrl).HasMaxLength(2048);
        builder.Property(x => x.SourceRevision).HasMaxLength(255);
        builder.Property(x => x.Owner).HasMaxLength(255);
        builder.HasIndex(x => x.Name).IsUnique();
        builder.HasIndex(x => x.Collection);
    }
}
