using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dockyard.Server.Data.Configurations;

internal sealed class TrustPolicyTeamConfiguration : IEntityTypeConfiguration<TrustPolicyTeamEntity>
{
    public void Configure(EntityTypeBuilder<TrustPolicyTeamEntity> builder)
    {
        builder.ToTable("trust_policy_teams");
        builder.HasKey(x => new { x.PolicyId, x.TeamId });
        builder.HasIndex(x => x.TeamId);
        builder.HasOne<TrustPolicyEntity>().WithMany().HasForeignKey(x => x.PolicyId).OnDelete(DeleteBehavior.Cascade);
        // Cascade so an organization's deletion (teams and policies together) never trips over the pair; deleting a
        // team a policy still requires is refused by the service first (TeamService), so no policy weakens silently.
        builder.HasOne<TeamEntity>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
