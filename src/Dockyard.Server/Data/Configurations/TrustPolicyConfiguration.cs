using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class TrustPolicyConfiguration : IEntityTypeConfiguration<TrustPolicyEntity>
{
    public void Configure(EntityTypeBuilder<TrustPolicyEntity> builder)
    {
        builder.ToTable("trust_policies");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.RepositoryPattern).HasMaxLength(255);
        builder.Property(x => x.PullPrincipalKinds).HasMaxLength(100);
        builder.Property(x => x.CreatedBy).HasMaxLength(255);
        builder.HasIndex(x => x.OrganizationId);
        builder.HasOne<OrganizationEntity>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
