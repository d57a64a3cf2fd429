namespace Dockyard.Server.Policies;

/// <summary>One delete of a plan: a tag (<see cref="Tags"/> holds it), or a manifest with the tags it takes along.</summary>
internal sealed record RetentionDeletion(RetentionDeletionKind Kind, string Digest, IReadOnlyList<string> Tags, string Reason);
