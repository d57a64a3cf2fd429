namespace Dockyard.Server.Control.Stacks;

/// <summary>What a deploy did on the swarm: service name → id of every service of the plan, and the names created, updated and removed.</summary>
internal sealed record StackApplyResult(
    IReadOnlyDictionary<string, string> ServiceIds,
    IReadOnlyList<string> Created,
    IReadOnlyList<string> Updated,
    IReadOnlyList<string> Removed);
