namespace Dockyard.Server.Control.Nodes;

/// <summary>
/// One node with what runs on it, as its own engine reports it. When Dockyard has no reachable engine for the node
/// (or it failed), <see cref="Containers"/> and <see cref="Images"/> are empty and <see cref="EngineMessage"/> says why.
/// </summary>
internal sealed record NodeDetailsView(
    NodeView Node,
    IReadOnlyList<NodeContainerView> Containers,
    IReadOnlyList<NodeImageView> Images,
    string? EngineMessage);
