using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// A repository row of the repository list: <paramref name="Size"/> is the sum of the blobs it holds (a blob shared
/// with other repositories counts in each); pulls as of the last flush of the <see cref="PullCounter"/>.
/// </summary>
internal sealed record RepositorySummary(
    string Name,
    string? Description,
    RepositoryVisibility Visibility,
    int Tags,
    DateTimeOffset? LastPushedAt,
    long Size,
    long PullCount,
    DateTimeOffset? LastPulledAt);
