using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class SearchImageConfiguration : IEntityTypeConfiguration<SearchImageEntity>
{
    public void Configure(EntityTypeBuilder<SearchImageEntity> builder)
    {
        builder.ToTable("search_images");
        builder.HasKey(x => new { x.Repository, x.Digest });
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.Digest).HasMaxLength(135);
        builder.Property(x => x.Platforms).HasMaxLength(1024);
        builder.Property(x => x.BaseImage).HasMaxLength(512);
    }
}
