namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>One service of a stack detail (GET /api/v1/stacks/{name}): what it runs and how far it is.</summary>
internal sealed record StackServiceWire(
    string? Name,
    string? ShortName,
    string? Image,
    string? RunningImage,
    string? Mode,
    int? Replicas,
    int? RunningTasks,
    int? DesiredTasks,
    string? UpdateState,
    string? UpdateMessage);
