using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class RegistryOutboxConfiguration : IEntityTypeConfiguration<RegistryOutboxEntity>
{
    public void Configure(EntityTypeBuilder<RegistryOutboxEntity> builder)
    {
        builder.ToTable("registry_outbox");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Kind).HasMaxLength(64);
        builder.Property(x => x.Repository).HasMaxLength(255);
    }
}
