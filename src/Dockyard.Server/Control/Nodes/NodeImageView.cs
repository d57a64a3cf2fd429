namespace Dockyard.Server.Control.Nodes;

/// <summary>An image that a visible container on the node runs: its tags and registry digests, and which containers use it.</summary>
internal sealed record NodeImageView(string Id, IReadOnlyList<string> Tags, IReadOnlyList<string> Digests, IReadOnlyList<string> Containers);
