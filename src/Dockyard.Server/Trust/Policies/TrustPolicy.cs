using Dockyard.Server.Access;

namespace Dockyard.Server.Trust.Policies;

/// <summary>
/// A signature policy as enforcement sees it (from <see cref="TrustPolicySnapshot"/>). <see cref="Teams"/> holds the
/// full <c>org/team</c> names still linked; a "teams" policy whose teams are all gone (their organization was deleted)
/// has none and refuses everything (fail closed).
/// </summary>
internal sealed record TrustPolicy(
    long Id,
    string Organization,
    string? RepositoryPattern,
    bool RequireAllTeams,
    IReadOnlyList<string> Teams,
    bool EnforceDeploy,
    bool EnforcePull,
    IReadOnlySet<PrincipalKind>? PullPrincipalKinds)
{
    /// <summary>True when the policy covers <paramref name="repository"/> (already known to be in <see cref="Organization"/>).</summary>
    public bool Covers(string repository) => RepositoryPattern is null || Access.RepositoryPattern.Matches(RepositoryPattern, repository);

    /// <summary>True when pulls by a caller of <paramref name="kind"/> are checked.</summary>
    public bool ChecksPullBy(PrincipalKind kind) => EnforcePull && (PullPrincipalKinds is null || PullPrincipalKinds.Contains(kind));

    /// <summary>For messages: <c>policy 3 of prod</c>.</summary>
    public string Describe() => $"policy {Id} of {Organization}";
}
