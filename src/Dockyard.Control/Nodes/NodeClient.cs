using System.Text.Json.Nodes;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Nodes;

/// <summary>Swarm nodes through one manager engine. Workers answer 503 (<see cref="EngineErrorKind.NotManager"/>).</summary>
public sealed class NodeClient(EngineClient engine)
{
    private static readonly string[] Roles = ["manager", "worker"];
    private static readonly string[] Availabilities = ["active", "pause", "drain"];

    /// <summary><c>GET /nodes</c>; filters: id, label, node.label, membership, name, role.</summary>
    public async Task<IReadOnlyList<NodeSummary>> ListAsync(EngineFilters? filters, CancellationToken cancellationToken)
    {
        var path = EngineQuery.Path("nodes").Add(filters).ToString();
        var nodes = await engine.GetAsync(path, NodeJsonContext.Default.ListNodeDocument, cancellationToken);
        return nodes.Select(node => node.ToSummary()).ToList();
    }

    /// <summary><c>GET /nodes/{id}</c>; an unknown id is <see cref="EngineErrorKind.NotFound"/>.</summary>
    public async Task<NodeSummary> InspectAsync(string id, CancellationToken cancellationToken)
    {
        var node = await engine.GetAsync(EngineQuery.Path("nodes", id).ToString(), NodeJsonContext.Default.NodeDocument, cancellationToken);
        return node.ToSummary();
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the node's spec. The engine takes the WHOLE spec, not a patch: the
    /// current spec is read and sent back with the change applied, so fields not modelled here survive.
    /// <paramref name="version"/> is the <see cref="NodeSummary.Version"/> the caller decided on; if the node changed
    /// since, the engine refuses and this throws <see cref="EngineErrorKind.Conflict"/>.
    /// </summary>
    public async Task UpdateAsync(string id, long version, NodeSpecChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        Check(change.Role, Roles, "role");
        Check(change.Availability, Availabilities, "availability");

        var node = await engine.GetObjectAsync(EngineQuery.Path("nodes", id).ToString(), cancellationToken);
        var spec = node.DetachSpec(engine.Name);
        if (change.Name is not null)
        {
            spec["Name"] = change.Name;
        }

        if (change.Labels is not null)
        {
            var labels = new JsonObject();
            foreach (var (key, value) in change.Labels)
            {
                labels[key] = value;
            }

            spec["Labels"] = labels;
        }

        if (change.Role is not null)
        {
            spec["Role"] = change.Role;
        }

        if (change.Availability is not null)
        {
            spec["Availability"] = change.Availability;
        }

        // The caller's version, not the one just read: a change made in between must fail, not be overwritten.
        var path = EngineQuery.Path("nodes", id, "/update").Add("version", version).ToString();
        await SwarmConflicts.TranslateAsync(engine.Name, () => engine.PostAsync(path, EngineJsonObjects.Content(spec), cancellationToken));
    }

    /// <summary><c>DELETE /nodes/{id}</c>; <paramref name="force"/> removes a node that is not down.</summary>
    public Task RemoveAsync(string id, bool force, CancellationToken cancellationToken) =>
        engine.DeleteAsync(EngineQuery.Path("nodes", id).AddIfTrue("force", force).ToString(), cancellationToken);

    private static void Check(string? value, string[] allowed, string what)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new ArgumentException($"node {what} must be one of {string.Join(", ", allowed)}, not '{value}'", what);
        }
    }
}
