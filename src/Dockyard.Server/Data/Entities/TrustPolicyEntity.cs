namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A signature policy of an organization (<c>trust_policies</c>): images of its repositories matching
/// <see cref="RepositoryPattern"/> must be signed by a trusted key (<see cref="RequireAllTeams"/> false) or by keys of
/// every team in <c>trust_policy_teams</c>; enforced when a stack deploys them and, if <see cref="EnforcePull"/>, when
/// they are pulled.
/// </summary>
internal sealed class TrustPolicyEntity
{
    public long Id { get; set; }

    public long OrganizationId { get; set; }

    /// <summary>A repository glob (full name, <c>**</c> crosses slashes); null for every repository of the organization.</summary>
    public string? RepositoryPattern { get; set; }

    /// <summary>False: any trusted key of the organization; true: a signature by a key of each team in <c>trust_policy_teams</c>.</summary>
    public bool RequireAllTeams { get; set; }

    public bool EnforceDeploy { get; set; }

    public bool EnforcePull { get; set; }

    /// <summary>Principal kinds the pull rule applies to, comma separated (e.g. <c>serviceaccount</c>); null for every caller.</summary>
    public string? PullPrincipalKinds { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
