namespace Dockyard.Control.SystemInfo;

/// <summary>The <c>Swarm.Cluster</c> part of <c>GET /info</c> (managers only).</summary>
public sealed record ClusterInfo
{
    /// <summary>The swarm's id: equal on every manager of one swarm.</summary>
    public string? Id { get; init; }
}
