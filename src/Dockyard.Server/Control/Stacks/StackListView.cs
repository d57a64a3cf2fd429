namespace Dockyard.Server.Control.Stacks;

/// <summary>The stacks the caller may view; warnings name what could not be read (no reachable manager).</summary>
internal sealed record StackListView(IReadOnlyList<StackSummaryView> Items, IReadOnlyList<string> Warnings);
