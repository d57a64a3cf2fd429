using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>One page of the repositories a caller may see, and how many there are in all.</summary>
internal sealed record RepositoryPage(IReadOnlyList<RepositoryEntity> Items, int Page, int PageSize, int Total);
