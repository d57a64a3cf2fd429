using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class BlobConfiguration : IEntityTypeConfiguration<BlobEntity>
{
    public void Configure(EntityTypeBuilder<BlobEntity> builder)
    {
        builder.ToTable("blobs");
        builder.HasKey(x => x.Digest);
        builder.Property(x => x.Digest).HasMaxLength(135);
    }
}
