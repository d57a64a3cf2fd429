using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class BlobLinkConfiguration : IEntityTypeConfiguration<BlobLinkEntity>
{
    public void Configure(EntityTypeBuilder<BlobLinkEntity> builder)
    {
        builder.ToTable("blob_links");
        builder.HasKey(x => new { x.Repository, x.Digest });
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.Digest).HasMaxLength(135);
        builder.HasIndex(x => x.Digest);
    }
}
