namespace Dockyard.Server.Ui.Data;

/// <summary>A tag as the dashboard lists it among recent pushes.</summary>
internal sealed record RecentPush(string Repository, string Tag, string Digest, DateTimeOffset PushedAt, string? PushedBy);
