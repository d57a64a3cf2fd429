using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class TagConfiguration : IEntityTypeConfiguration<TagEntity>
{
    public void Configure(EntityTypeBuilder<TagEntity> builder)
    {
        builder.ToTable("tags");
        builder.HasKey(x => new { x.Repository, x.Name });
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.Name).HasMaxLength(128);
        builder.Property(x => x.ManifestDigest).HasMaxLength(135);
        builder.Property(x => x.PushedBy).HasMaxLength(255);
        builder.HasIndex(x => new { x.Repository, x.ManifestDigest });

        // The dashboard's "recent pushes".
        builder.HasIndex(x => x.UpdatedAt);
    }
}
