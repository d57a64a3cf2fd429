namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// A stack in a list: its metadata (null for a stack Dockyard does not manage), whether Dockyard manages it, the
/// current revision (0 = none yet) and the task counts summed over its services.
/// </summary>
internal sealed record StackSummaryView(
    string Name,
    string Collection,
    string? Version,
    string? Description,
    string? SourceUrl,
    string? SourceRevision,
    string? Owner,
    bool Managed,
    int Revision,
    int Services,
    long RunningTasks,
    long DesiredTasks,
    DateTimeOffset? UpdatedAt);
