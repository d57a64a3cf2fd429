namespace Dockyard.Server.Control.Nodes;

/// <summary>A container on a node (one the caller may see), with the image digests it runs.</summary>
internal sealed record NodeContainerView(
    string Id,
    string Name,
    string Image,
    string ImageId,
    IReadOnlyList<string> Digests,
    string State,
    string Status,
    string Collection);
