using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>A team's grant on one repository, as the team page lists it.</summary>
internal sealed record TeamRepositoryGrant(string Repository, RepositoryRole Role, DateTimeOffset CreatedAt);
