using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class RetentionPolicyConfiguration : IEntityTypeConfiguration<RetentionPolicyEntity>
{
    public void Configure(EntityTypeBuilder<RetentionPolicyEntity> builder)
    {
        builder.ToTable("retention_policies");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.KeepTagPatterns).HasMaxLength(4096);
        builder.Property(x => x.UpdatedBy).HasMaxLength(255);
        builder.HasIndex(x => x.OrganizationId).IsUnique();
        builder.HasIndex(x => x.Repository).IsUnique();
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<RepositoryEntity>().WithMany().HasForeignKey(x => x.Repository).OnDelete(DeleteBehavior.Cascade);
    }
}
