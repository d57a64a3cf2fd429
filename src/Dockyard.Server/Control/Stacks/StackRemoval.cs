namespace Dockyard.Server.Control.Stacks;

/// <summary>What removing a stack removed from the swarm, and what it could not (warnings).</summary>
internal sealed record StackRemoval(
    string Name,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Networks,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<string> Configs,
    IReadOnlyList<string> Warnings);
