namespace Dockyard.Control.Swarm;

/// <summary>Which join token to rotate.</summary>
public enum SwarmJoinRole
{
    Worker,
    Manager,
}
