namespace Dockyard.Server.Trust.Policies;

/// <summary>
/// A signature policy as a caller writes it (API body, UI form). <see cref="Mode"/>: <c>any</c> (a valid signature by
/// any trusted key of the organization or its teams) or <c>teams</c> (one by a key of each of <see cref="Teams"/>:
/// <c>team</c> of this organization or <c>org/team</c> of another). <see cref="PullPrincipalKinds"/> narrows the pull
/// rule to callers of those kinds (null or empty: everyone).
/// </summary>
internal sealed record TrustPolicyInput(
    string? RepositoryPattern,
    string? Mode,
    IReadOnlyList<string>? Teams,
    bool EnforceDeploy,
    bool EnforcePull,
    IReadOnlyList<string>? PullPrincipalKinds);
