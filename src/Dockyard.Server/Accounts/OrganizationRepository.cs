using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>A repository as the organization page lists it: name, visibility and how many tags it has.</summary>
internal sealed record OrganizationRepository(string Name, RepositoryVisibility Visibility, int Tags);
