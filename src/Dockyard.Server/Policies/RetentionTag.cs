namespace Dockyard.Server.Policies;

/// <summary>A tag as retention sees it: where it points and when it was last pushed.</summary>
internal sealed record RetentionTag(string Name, string Digest, DateTimeOffset PushedAt);
