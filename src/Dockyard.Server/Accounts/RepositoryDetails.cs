using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>
/// A repository as the API and the UI show it (the view model; not named RepositoryView, the UI's component, nor RepositorySummary, the UI's list row).
/// </summary>
internal sealed record RepositoryDetails(string Name, RepositoryVisibility Visibility, string? Description, DateTimeOffset CreatedAt, long PullCount = 0, DateTimeOffset? LastPulledAt = null)
{
    public static RepositoryDetails From(RepositoryEntity repository) =>
        new(repository.Name, repository.Visibility, repository.Description, repository.CreatedAt, repository.PullCount, repository.LastPulledAt);
}
