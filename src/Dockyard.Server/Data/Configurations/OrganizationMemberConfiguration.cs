using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class OrganizationMemberConfiguration : IEntityTypeConfiguration<OrganizationMemberEntity>
{
    public void Configure(EntityTypeBuilder<OrganizationMemberEntity> builder)
    {
        builder.ToTable("organization_members");
        builder.HasKey(x => new { x.OrganizationId, x.UserId });
        builder.HasIndex(x => x.UserId);
    }
}
