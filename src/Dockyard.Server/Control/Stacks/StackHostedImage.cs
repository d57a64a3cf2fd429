namespace Dockyard.Server.Control.Stacks;

/// <summary>An image of Dockyard's registry as a Compose file names it: the repository and the tag (null when pinned by digest only).</summary>
internal sealed record StackHostedImage(string Repository, string? Tag);
