namespace Dockyard.Server.Control.Stacks;

/// <summary>One revision in a stack's history.</summary>
internal sealed record StackRevisionSummaryView(
    int Number,
    bool Current,
    string? Version,
    string? Description,
    string? SourceUrl,
    string? SourceRevision,
    string? Note,
    string CreatedBy,
    DateTimeOffset CreatedAt);
