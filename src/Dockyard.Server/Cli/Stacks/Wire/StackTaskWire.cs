namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>One task of a stack (GET /api/v1/stacks/{name}/tasks).</summary>
internal sealed record StackTaskWire(
    string? Id,
    string? Service,
    int? Slot,
    string? NodeId,
    string? Node,
    string? DesiredState,
    string? State,
    string? Message,
    string? Error,
    string? Image);
