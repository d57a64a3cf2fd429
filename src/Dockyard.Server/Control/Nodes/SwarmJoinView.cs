namespace Dockyard.Server.Control.Nodes;

/// <summary>
/// How a machine joins the swarm: the commands to run on it (they hold the join tokens, secrets shown only to
/// administrators and never logged or audited) and the manager address they name.
/// </summary>
internal sealed record SwarmJoinView(string ManagerAddress, string WorkerCommand, string ManagerCommand, string WorkerToken, string ManagerToken);
