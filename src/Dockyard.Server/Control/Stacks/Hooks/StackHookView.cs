namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary>A redeploy hook as listed: its token's prefix, never the token.</summary>
internal sealed record StackHookView(long Id, string Prefix, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);
