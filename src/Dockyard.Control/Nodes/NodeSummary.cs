namespace Dockyard.Control.Nodes;

/// <summary>One swarm node as a manager sees it (<c>GET /nodes</c>, <c>GET /nodes/{id}</c>), flattened.</summary>
public sealed record NodeSummary
{
    public required string Id { get; init; }

    /// <summary><c>Version.Index</c>: <see cref="NodeClient.UpdateAsync"/> must name it.</summary>
    public long Version { get; init; }

    /// <summary>The operator-set name from the spec (often empty).</summary>
    public string Name { get; init; } = string.Empty;

    public string Hostname { get; init; } = string.Empty;

    /// <summary>manager or worker.</summary>
    public string Role { get; init; } = string.Empty;

    /// <summary>active, pause or drain.</summary>
    public string Availability { get; init; } = string.Empty;

    /// <summary>unknown, down, ready or disconnected.</summary>
    public string State { get; init; } = string.Empty;

    public string StatusMessage { get; init; } = string.Empty;

    /// <summary>The node's address as the managers see it.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>Raft state; null for workers.</summary>
    public NodeManagerStatus? Manager { get; init; }

    public string EngineVersion { get; init; } = string.Empty;

    public string Os { get; init; } = string.Empty;

    public string Architecture { get; init; } = string.Empty;

    public long NanoCpus { get; init; }

    public long MemoryBytes { get; init; }

    /// <summary>Labels from the engine's daemon configuration (read-only through the swarm).</summary>
    public IReadOnlyDictionary<string, string> EngineLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Node labels from the swarm spec (what placement constraints match).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
