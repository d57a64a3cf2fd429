namespace Dockyard.Server.Control.Stacks;

/// <summary>Something deployed that deserves a look: an unsupported Compose key (with its position), an image not pinned, a task the scheduler cannot place.</summary>
internal sealed record StackWarning(string? File, int Line, int Column, string Message);
