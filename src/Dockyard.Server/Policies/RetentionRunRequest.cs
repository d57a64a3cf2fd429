namespace Dockyard.Server.Policies;

/// <summary>What a retention run covers: one repository, one organization's repositories, or all (both null).</summary>
internal sealed record RetentionRunRequest(bool DryRun, string? Repository = null, string? Organization = null);
