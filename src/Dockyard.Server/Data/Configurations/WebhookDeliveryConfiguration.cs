using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDeliveryEntity>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryEntity> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.DeliveryId).HasMaxLength(36);
        builder.Property(x => x.EventId).HasMaxLength(36);
        builder.Property(x => x.EventType).HasMaxLength(64);
        builder.Property(x => x.Status).HasMaxLength(16);
        builder.Property(x => x.LastError).HasMaxLength(1024);
        builder.HasIndex(x => x.DeliveryId).IsUnique();
        builder.HasIndex(x => new { x.WebhookId, x.Id });

        // The worker's query: due pending deliveries, oldest first.
        builder.HasIndex(x => new { x.Status, x.NextAttemptAt });
        builder.HasOne<WebhookEntity>().WithMany().HasForeignKey(x => x.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}
