using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class EngineEventLeaseConfiguration : IEntityTypeConfiguration<EngineEventLeaseEntity>
{
    public void Configure(EntityTypeBuilder<EngineEventLeaseEntity> builder)
    {
        builder.ToTable("engine_event_leases");
        builder.HasKey(x => x.Engine);
        builder.Property(x => x.Engine).HasMaxLength(64);
        builder.Property(x => x.Holder).HasMaxLength(64);
    }
}
