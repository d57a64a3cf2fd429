using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class CollectionGrantConfiguration : IEntityTypeConfiguration<CollectionGrantEntity>
{
    public void Configure(EntityTypeBuilder<CollectionGrantEntity> builder)
    {
        builder.ToTable("collection_grants");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.SubjectKind).HasMaxLength(16);
        builder.Property(x => x.Role).HasMaxLength(64);
        builder.Property(x => x.Collection).HasMaxLength(255);
        builder.Property(x => x.CreatedBy).HasMaxLength(255);

        // Decisions read the grants on a collection and its ancestors: an IN over the paths.
        builder.HasIndex(x => x.Collection);
        builder.HasIndex(x => new { x.SubjectKind, x.SubjectId, x.Role, x.Collection }).IsUnique();
    }
}
