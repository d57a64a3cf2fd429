namespace Dockyard.Server.Control.Cluster;

/// <summary>
/// A node on the cluster dashboard: its host name, swarm id and role (<c>manager</c>, <c>worker</c>, or
/// <c>standalone</c> for an engine outside the swarm), <c>ready</c> or <c>down</c> (or the swarm's other states), why,
/// and the engine Dockyard reaches it through, if any.
/// </summary>
internal sealed record ClusterNodeView(string Name, string? NodeId, string Role, string State, string? Message, string? Engine)
{
    public bool IsReady => State == "ready";
}
