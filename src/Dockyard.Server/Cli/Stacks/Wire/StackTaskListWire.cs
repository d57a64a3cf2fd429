namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>GET /api/v1/stacks/{name}/tasks.</summary>
internal sealed record StackTaskListWire(IReadOnlyList<StackTaskWire>? Items);
