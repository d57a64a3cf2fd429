namespace Dockyard.Server.Control;

/// <summary>A collection grant as the API shows it; <see cref="Subject"/> is null when the subject was deleted (the grant then reaches nobody).</summary>
internal sealed record CollectionGrantView(
    long Id,
    string SubjectKind,
    long SubjectId,
    string? Subject,
    string Role,
    string Collection,
    DateTimeOffset CreatedAt,
    string? CreatedBy);
