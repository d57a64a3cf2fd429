namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>One Compose file of a deploy, by the name messages use for it.</summary>
internal sealed record StackFileWire(string Name, string Text);
