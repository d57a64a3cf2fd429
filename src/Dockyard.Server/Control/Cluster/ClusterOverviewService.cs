using Dockyard.Control.Engines;
using Dockyard.Control.Nodes;
using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Control.Containers;

namespace Dockyard.Server.Control.Cluster;

/// <summary>
/// Builds the cluster dashboard for one caller. Nodes come from a reachable swarm manager (<c>GET /nodes</c>: the
/// swarm's own view of ready and down), plus every engine outside the swarm; without a reachable manager, from the
/// engines' probes alone (reachable = ready) with a warning saying so. A node is shown where the caller holds
/// <see cref="Operation.NodeView"/> in its collection (its labels, <see cref="ControlLabels"/>); container counts are
/// those of <see cref="ContainerInventory"/>, so the caller counts exactly what their container list shows.
/// </summary>
internal sealed class ClusterOverviewService(EngineRegistry registry, ContainerInventory inventory, CollectionDecisions decisions)
{
    public async Task<ClusterOverview> GetAsync(Principal principal, CancellationToken cancellationToken)
    {
        var containers = inventory.ListAsync(principal, new ContainerQuery(All: true), cancellationToken);
        var warnings = new List<string>();
        var nodes = await NodesAsync(warnings, cancellationToken);
        var visible = await decisions.AllowedAsync(principal, Operation.NodeView, ResourceKind.Node, nodes.Select(n => n.Collection), cancellationToken);
        var shown = nodes.Where(n => visible.Contains(n.Collection)).Select(n => n.Node).ToList();
        warnings.AddRange(shown.Where(n => !n.IsReady).Select(n => $"node {n.Name} is {n.State}{(string.IsNullOrEmpty(n.Message) ? "" : ": " + n.Message)}"));

        var list = await containers;
        warnings.InsertRange(0, list.Warnings);
        var running = list.Items.Count(c => c.State is "running" or "restarting");
        var paused = list.Items.Count(c => c.State == "paused");
        return new ClusterOverview(shown, running, paused, list.Items.Count - running - paused, [.. warnings.Distinct(StringComparer.Ordinal)]);
    }

    private async Task<List<(ClusterNodeView Node, CollectionPath Collection)>> NodesAsync(List<string> warnings, CancellationToken cancellationToken)
    {
        await registry.EnsureLoadedAsync(cancellationToken);
        var engines = registry.List();
        var engineOf = engines.Where(e => e.Status.NodeId is not null).GroupBy(e => e.Status.NodeId!).ToDictionary(g => g.Key, g => g.First().Definition.Name, StringComparer.Ordinal);
        var nodes = new List<(ClusterNodeView, CollectionPath)>();
        var inSwarm = new HashSet<string>(StringComparer.Ordinal);
        if (registry.GetManager() is { } manager)
        {
            try
            {
                foreach (var node in await new NodeClient(manager).ListAsync(null, cancellationToken))
                {
                    inSwarm.Add(node.Id);
                    var name = string.IsNullOrEmpty(node.Hostname) ? node.Id[..Math.Min(12, node.Id.Length)] : node.Hostname;
                    nodes.Add((new ClusterNodeView(name, node.Id, node.Role, node.State, NullIfEmpty(node.StatusMessage), engineOf.GetValueOrDefault(node.Id)), ControlLabels.CollectionOf(node.Labels)));
                }
            }
            catch (EngineApiException error)
            {
                warnings.Add(error.Message);
            }
        }
        else if (engines.Any(e => e.Status.NodeId is not null) || engines.Any(e => e.Status.State != EngineState.Reachable))
        {
            warnings.Add("no swarm manager is reachable: node states come from the engines Dockyard reaches directly");
        }

        foreach (var engine in engines)
        {
            if (engine.Status.NodeId is { } id && inSwarm.Contains(id))
            {
                continue;
            }

            var ready = engine.Status.State == EngineState.Reachable;
            var role = engine.Status.SwarmRole ?? (ready ? "standalone" : "unknown");
            var name = engine.Status.Info?.Name ?? engine.Definition.Name;
            nodes.Add((new ClusterNodeView(name, engine.Status.NodeId, role, ready ? "ready" : "down", ready ? null : engine.Status.Message, engine.Definition.Name), ControlLabels.Unlabeled));
        }

        return nodes;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
