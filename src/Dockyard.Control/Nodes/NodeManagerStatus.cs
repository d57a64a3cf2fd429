namespace Dockyard.Control.Nodes;

/// <summary>A manager node's raft state.</summary>
/// <param name="Leader">True on the raft leader.</param>
/// <param name="Reachability">reachable, unreachable or unknown.</param>
/// <param name="Address">The manager's raft address (host:port).</param>
public sealed record NodeManagerStatus(bool Leader, string Reachability, string Address);
