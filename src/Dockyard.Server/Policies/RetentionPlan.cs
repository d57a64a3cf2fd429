namespace Dockyard.Server.Policies;

/// <summary>What retention would delete in one repository and why, and what it kept and why.</summary>
internal sealed record RetentionPlan(string Repository, IReadOnlyList<RetentionDeletion> Deletions, IReadOnlyList<RetentionKept> Kept);
