namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>A stack's tasks, running first, then by service and slot; warnings for what could not be read (node names).</summary>
internal sealed record StackTaskList(IReadOnlyList<StackTaskView> Items, IReadOnlyList<string> Warnings);
