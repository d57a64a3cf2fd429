using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class DeliveryCursorConfiguration : IEntityTypeConfiguration<DeliveryCursorEntity>
{
    public void Configure(EntityTypeBuilder<DeliveryCursorEntity> builder)
    {
        builder.ToTable("delivery_cursors");
        builder.HasKey(x => x.Name);
        builder.Property(x => x.Name).HasMaxLength(128);
    }
}
