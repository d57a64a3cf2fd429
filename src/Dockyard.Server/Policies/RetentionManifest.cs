namespace Dockyard.Server.Policies;

/// <summary>A manifest as retention sees it: when it was pushed, what it refers to (<c>subject</c>) and what it lists (an index's children).</summary>
internal sealed record RetentionManifest(string Digest, DateTimeOffset CreatedAt, string? Subject, IReadOnlyList<string> Children);
