namespace Dockyard.Server.Cli.Stacks;

/// <summary>One <c>-c</c> file as read: the name messages use (as given on the command line), its full path and text.</summary>
internal sealed record ComposeFileInput(string Name, string FullPath, string Text);
