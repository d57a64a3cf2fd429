using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<WebhookEntity>
{
    public void Configure(EntityTypeBuilder<WebhookEntity> builder)
    {
        builder.ToTable("webhooks");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.Url).HasMaxLength(2048);
        builder.Property(x => x.Secret).HasMaxLength(256);
        builder.Property(x => x.Description).HasMaxLength(500);
        builder.Property(x => x.CreatedBy).HasMaxLength(255);
        builder.HasIndex(x => x.OrganizationId);
        builder.HasIndex(x => x.Repository);

        // Subscriptions go with what they watch.
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<RepositoryEntity>().WithMany().HasForeignKey(x => x.Repository).OnDelete(DeleteBehavior.Cascade);
    }
}
