namespace Dockyard.Server.Ui.Data;

/// <summary>A row of a repository's tags table.</summary>
internal sealed record TagRow(
    string Tag,
    string Digest,
    string MediaType,
    ManifestSummary Summary,
    DateTimeOffset PushedAt,
    string? PushedBy,
    DateTimeOffset? LastPulledAt,
    long PullCount);
