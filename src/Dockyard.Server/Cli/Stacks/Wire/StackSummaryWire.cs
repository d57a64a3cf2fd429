using System.Text.Json;

namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>
/// One stack as GET /api/v1/stacks lists it, as the CLI reads it. Tolerant on purpose: every field may be missing, and
/// <see cref="Services"/> may be a count or a list (the CLI only needs how many).
/// </summary>
internal sealed record StackSummaryWire(
    string? Name,
    string? Collection,
    string? Version,
    string? Description,
    string? Owner,
    bool? Managed,
    int? Revision,
    JsonElement Services,
    int? RunningTasks,
    int? DesiredTasks);
