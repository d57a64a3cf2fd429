namespace Dockyard.Control.Compose;

/// <summary>One Compose file as given: its name (for messages: <c>compose.yml</c>) and its text. Later files override earlier ones.</summary>
public sealed record ComposeSource(string Name, string Text);
