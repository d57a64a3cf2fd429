namespace Dockyard.Server.Control.Cluster;

/// <summary>
/// The cluster dashboard: the nodes the caller may see (<see cref="Dockyard.Server.Access.Operation.NodeView"/>), the containers they may
/// see by state, and what needs attention (engines that cannot be reached, nodes that are down).
/// </summary>
internal sealed record ClusterOverview(
    IReadOnlyList<ClusterNodeView> Nodes,
    int ContainersRunning,
    int ContainersPaused,
    int ContainersStopped,
    IReadOnlyList<string> Warnings)
{
    public int NodesReady => Nodes.Count(n => n.IsReady);

    public int NodesDown => Nodes.Count(n => !n.IsReady);
}
