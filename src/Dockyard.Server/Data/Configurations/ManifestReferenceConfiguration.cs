using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class ManifestReferenceConfiguration : IEntityTypeConfiguration<ManifestReferenceEntity>
{
    public void Configure(EntityTypeBuilder<ManifestReferenceEntity> builder)
    {
        builder.ToTable("manifest_references");
        builder.HasKey(x => new { x.Repository, x.ManifestDigest, x.ChildDigest });
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.ManifestDigest).HasMaxLength(135);
        builder.Property(x => x.ChildDigest).HasMaxLength(135);
        builder.HasIndex(x => new { x.Repository, x.ChildDigest });

        // Garbage collection asks "does anything anywhere reference this digest?".
        builder.HasIndex(x => x.ChildDigest);
    }
}
