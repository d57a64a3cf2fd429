namespace Dockyard.Server.Control.Stacks;

/// <summary>A stack's descriptive fields, recorded on the stack and on each revision.</summary>
internal sealed record StackMetadata(string? Version, string? Description, string? SourceUrl, string? SourceRevision);
