namespace Dockyard.Server.Control.Stacks;

/// <summary>One Compose file of a stack: its name (for messages and diffs) and text.</summary>
internal sealed record StackFile(string Name, string Text);
