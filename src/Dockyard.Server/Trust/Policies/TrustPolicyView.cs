namespace Dockyard.Server.Trust.Policies;

/// <summary>A signature policy as the API and the UI show it; <see cref="Teams"/> are full <c>org/team</c> names.</summary>
internal sealed record TrustPolicyView(
    long Id,
    string Organization,
    string? RepositoryPattern,
    string Mode,
    IReadOnlyList<string> Teams,
    bool EnforceDeploy,
    bool EnforcePull,
    IReadOnlyList<string>? PullPrincipalKinds,
    string CreatedBy,
    DateTimeOffset CreatedAt)
{
    public const string AnyMode = "any";
    public const string TeamsMode = "teams";
}
