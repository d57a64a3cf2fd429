namespace Dockyard.Control.Swarm;

/// <summary>A swarm object's <c>Version</c>: updates name the index they were based on.</summary>
public sealed record SwarmObjectVersion
{
    public long Index { get; init; }
}
