namespace Dockyard.Server.Policies;

/// <summary>The outcome for one digest of an untagged-manifest delete, and why when it was not deleted.</summary>
internal sealed record UntaggedDeletion(string Digest, UntaggedOutcome Outcome, string? Reason);
