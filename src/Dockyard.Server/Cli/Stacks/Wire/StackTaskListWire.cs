namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>GET /api/v1/stacks/{name}/tasks: the tasks, and the nodes whose tasks could not be read.</summary>
internal sealed record StackTaskListWire(IReadOnlyList<StackTaskWire>? Items, IReadOnlyList<string>? Warnings);
