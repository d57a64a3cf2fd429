namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// One revision's content: the Compose files, the environment (secret variables listed with a null value), the
/// attachment paths (never their content), images as written → pinned, and the followed services.
/// </summary>
internal sealed record StackRevisionView(
    int Number,
    bool Current,
    string? Version,
    string? Description,
    string? SourceUrl,
    string? SourceRevision,
    string? Note,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<StackFile> Files,
    IReadOnlyDictionary<string, string?> Environment,
    IReadOnlyDictionary<string, string> Images,
    IReadOnlyList<string> Follow);
