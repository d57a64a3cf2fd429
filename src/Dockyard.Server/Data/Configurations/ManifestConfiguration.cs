using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class ManifestConfiguration : IEntityTypeConfiguration<ManifestEntity>
{
    public void Configure(EntityTypeBuilder<ManifestEntity> builder)
    {
        builder.ToTable("manifests");
        builder.HasKey(x => new { x.Repository, x.Digest });
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.Digest).HasMaxLength(135);
        builder.Property(x => x.MediaType).HasMaxLength(255);
        builder.Property(x => x.ArtifactType).HasMaxLength(255);
        builder.Property(x => x.Subject).HasMaxLength(135);
        builder.Property(x => x.AnnotationsJson).HasColumnName("annotations");
        builder.Property(x => x.Platforms).HasMaxLength(1024);
        builder.HasIndex(x => new { x.Repository, x.Subject });

        // Garbage collection asks "is this digest a manifest anywhere?".
        builder.HasIndex(x => x.Digest);
    }
}
