namespace Dockyard.Control.SystemInfo;

/// <summary>The <c>Swarm</c> part of <c>GET /info</c>.</summary>
public sealed record SwarmInfo
{
    /// <summary>This engine's node id in the swarm; empty outside a swarm.</summary>
    public string? NodeId { get; init; }

    /// <summary>The address other nodes reach this one at.</summary>
    public string? NodeAddr { get; init; }

    /// <summary><c>inactive</c>, <c>pending</c>, <c>active</c>, <c>error</c> or <c>locked</c>.</summary>
    public string? LocalNodeState { get; init; }

    /// <summary>True on a manager (its API serves the swarm endpoints).</summary>
    public bool ControlAvailable { get; init; }

    /// <summary>The swarm's identity; present on managers only.</summary>
    public ClusterInfo? Cluster { get; init; }

    /// <summary>True when the engine is an active member of a swarm.</summary>
    public bool IsActive => LocalNodeState == "active" && !string.IsNullOrEmpty(NodeId);
}
