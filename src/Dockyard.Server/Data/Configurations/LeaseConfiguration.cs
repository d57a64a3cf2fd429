using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class LeaseConfiguration : IEntityTypeConfiguration<LeaseEntity>
{
    public void Configure(EntityTypeBuilder<LeaseEntity> builder)
    {
        builder.ToTable("leases");
        builder.HasKey(x => x.Name);
        builder.Property(x => x.Name).HasMaxLength(512);
        builder.Property(x => x.Holder).HasMaxLength(64);
    }
}
