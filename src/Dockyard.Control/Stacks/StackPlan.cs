namespace Dockyard.Control.Stacks;

/// <summary>What deploying a stack creates or updates on the Swarm, in the order it must happen (networks, secrets, configs, services).</summary>
public sealed record StackPlan(
    string Namespace,
    IReadOnlyList<StackNetworkPlan> Networks,
    IReadOnlyList<StackObjectPlan> Secrets,
    IReadOnlyList<StackObjectPlan> Configs,
    IReadOnlyList<StackServicePlan> Services);
