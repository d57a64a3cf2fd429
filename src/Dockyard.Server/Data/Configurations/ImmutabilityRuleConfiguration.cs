using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class ImmutabilityRuleConfiguration : IEntityTypeConfiguration<ImmutabilityRuleEntity>
{
    public void Configure(EntityTypeBuilder<ImmutabilityRuleEntity> builder)
    {
        builder.ToTable("immutability_rules");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Repository).HasMaxLength(255);
        builder.Property(x => x.TagPattern).HasMaxLength(128);
        builder.Property(x => x.RepositoryPattern).HasMaxLength(255);
        builder.Property(x => x.CreatedBy).HasMaxLength(255);
        builder.HasIndex(x => x.OrganizationId);
        builder.HasIndex(x => x.Repository);

        // Rules go with what they protect.
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<RepositoryEntity>().WithMany().HasForeignKey(x => x.Repository).OnDelete(DeleteBehavior.Cascade);
    }
}
