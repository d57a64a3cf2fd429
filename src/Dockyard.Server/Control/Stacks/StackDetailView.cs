namespace Dockyard.Server.Control.Stacks;

/// <summary>A stack with its services as the swarm runs them now.</summary>
internal sealed record StackDetailView(
    string Name,
    string Collection,
    string? Version,
    string? Description,
    string? SourceUrl,
    string? SourceRevision,
    string? Owner,
    bool Managed,
    int Revision,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<StackServiceView> Services,
    IReadOnlyList<string> Warnings);
