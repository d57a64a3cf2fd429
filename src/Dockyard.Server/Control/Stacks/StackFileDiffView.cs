namespace Dockyard.Server.Control.Stacks;

/// <summary>One file's change: <c>added</c>, <c>removed</c>, <c>changed</c> or <c>unchanged</c>, with its unified diff (empty when unchanged).</summary>
internal sealed record StackFileDiffView(string Name, string Change, string Diff);
