namespace Dockyard.Server.Policies;

/// <summary>A finished run: the plans (what was, or in a dry run would be, deleted and why) and the outcome.</summary>
internal sealed record RetentionRunResult(bool DryRun, IReadOnlyList<RetentionPlan> Plans, int Deleted, int Failed, IReadOnlyList<string> Errors)
{
    public int Planned => Plans.Sum(p => p.Deletions.Count);

    /// <summary>"repo:tag in use by container … on node …": deletes the plan kept because something runs them.</summary>
    public IReadOnlyList<string> InUse { get; init; } = [];
}
