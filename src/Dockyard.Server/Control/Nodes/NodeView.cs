using Dockyard.Control.Nodes;
using Dockyard.Server.Control.Access;

namespace Dockyard.Server.Control.Nodes;

/// <summary>
/// A swarm node as the API and UI show it: what the managers report, the collection its spec labels put it in, and
/// the Dockyard engine (matched by Swarm node id) that reaches it — null when none is configured for it.
/// </summary>
internal sealed record NodeView(
    string Id,
    string Hostname,
    string Role,
    string Availability,
    string State,
    string StatusMessage,
    NodeManagerView? Manager,
    string EngineVersion,
    string Os,
    string Architecture,
    double Cpus,
    long MemoryBytes,
    IReadOnlyDictionary<string, string> Labels,
    string Address,
    string Collection,
    string? Engine,
    long Version)
{
    public static NodeView From(NodeSummary node, string? engine) => new(
        node.Id,
        node.Hostname,
        node.Role,
        node.Availability,
        node.State,
        node.StatusMessage,
        node.Manager is { } manager ? new NodeManagerView(manager.Leader, manager.Reachability, manager.Address) : null,
        node.EngineVersion,
        node.Os,
        node.Architecture,
        node.NanoCpus / 1e9,
        node.MemoryBytes,
        node.Labels,
        node.Address,
        ControlLabels.CollectionOf(node.Labels).Value,
        engine,
        node.Version);
}
