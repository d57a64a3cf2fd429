namespace Dockyard.Server.Policies;

/// <summary>
/// A "delete untagged manifests older than" run: the plan (what goes and why, what stays and why; retention's
/// planner), and for a real run what each planned delete did.
/// </summary>
internal sealed record UntaggedCleanup(bool DryRun, TimeSpan OlderThan, RetentionPlan Plan, IReadOnlyList<UntaggedDeletion> Results)
{
    public UntaggedDeleteResult Outcome => new(Results);
}
