namespace Dockyard.Server.Control.Nodes;

/// <summary>A manager node's raft state: the leader, and whether the other managers reach it.</summary>
/// <param name="Leader">True on the raft leader.</param>
/// <param name="Reachability">reachable, unreachable or unknown.</param>
/// <param name="Address">The manager's swarm address (host:port), where nodes join.</param>
internal sealed record NodeManagerView(bool Leader, string Reachability, string Address);
