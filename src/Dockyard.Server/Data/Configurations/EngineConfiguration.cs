using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class EngineConfiguration : IEntityTypeConfiguration<EngineEntity>
{
    public void Configure(EntityTypeBuilder<EngineEntity> builder)
    {
        builder.ToTable("engines");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Name).HasMaxLength(64);
        builder.Property(x => x.Endpoint).HasMaxLength(512);
        builder.Property(x => x.CaFile).HasMaxLength(1024);
        builder.Property(x => x.CertFile).HasMaxLength(1024);
        builder.Property(x => x.KeyFile).HasMaxLength(1024);
        builder.Property(x => x.CreatedBy).HasMaxLength(255);
        builder.HasIndex(x => x.Name).IsUnique();
    }
}
