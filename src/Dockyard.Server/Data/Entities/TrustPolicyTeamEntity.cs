namespace Dockyard.Server.Data.Entities;

/// <summary>A team whose signature a <see cref="TrustPolicyEntity"/> requires (<c>trust_policy_teams</c>).</summary>
internal sealed class TrustPolicyTeamEntity
{
    public long PolicyId { get; set; }

    public long TeamId { get; set; }
}
