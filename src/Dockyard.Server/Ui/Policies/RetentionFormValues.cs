using Dockyard.Server.Policies;

namespace Dockyard.Server.Ui.Policies;

/// <summary>A retention policy as its form shows it (empty fields for a new one; a new policy starts enabled).</summary>
public sealed record RetentionFormValues(bool Exists, bool Enabled, string KeepLastTags, string KeepTags, string DeleteUntaggedAfter, bool IncludeRecent)
{
    internal static RetentionFormValues From(RetentionPolicyView? policy) => policy is null
        ? new(false, true, string.Empty, string.Empty, string.Empty, false)
        : new(
            true,
            policy.Enabled,
            PolicyForm.Number(policy.Rule.KeepLastTags),
            PolicyForm.JoinPatterns(policy.Rule.KeepTagPatterns),
            policy.Rule.DeleteUntaggedAfter is { } age ? DurationText.Format(age) : string.Empty,
            policy.Rule.IncludeRecent);
}
