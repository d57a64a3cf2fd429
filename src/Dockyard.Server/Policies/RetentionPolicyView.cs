using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Policies;

/// <summary>A retention policy as the API and the UI show it: its rule, whose repository (null for an organization's), who changed it last.</summary>
internal sealed record RetentionPolicyView(string? Repository, bool Enabled, RetentionRule Rule, string? UpdatedBy, DateTimeOffset UpdatedAt)
{
    public static RetentionPolicyView From(RetentionPolicyEntity policy) =>
        new(policy.Repository, policy.Enabled, RetentionPolicyService.ToRule(policy), policy.UpdatedBy, policy.UpdatedAt);

    /// <summary>As <see cref="From"/>; null when there is no policy.</summary>
    public static RetentionPolicyView? FromOptional(RetentionPolicyEntity? policy) => policy is null ? null : From(policy);
}
