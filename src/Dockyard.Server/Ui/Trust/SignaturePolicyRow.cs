using Dockyard.Server.Trust.Policies;

namespace Dockyard.Server.Ui.Trust;

/// <summary>One signature policy as the organization page lists it.</summary>
public sealed record SignaturePolicyRow(long Id, string Repositories, string Requires, string Enforced)
{
    internal static SignaturePolicyRow From(TrustPolicyView policy)
    {
        var pull = policy.EnforcePull ? (policy.PullPrincipalKinds is { } kinds ? $"pull ({string.Join(", ", kinds)})" : "pull") : null;
        return new(
            policy.Id,
            policy.RepositoryPattern ?? policy.Organization + "/**",
            policy.Mode == TrustPolicyView.TeamsMode
                ? (policy.Teams.Count == 0 ? "teams (none left: refuses everything)" : "signatures of " + string.Join(", ", policy.Teams))
                : "any trusted key of " + policy.Organization,
            string.Join(", ", new[] { policy.EnforceDeploy ? "deploy" : null, pull }.Where(s => s is not null)));
    }
}
