using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Access;

/// <summary>A user's membership of an organization, with what it brings on the organization's repositories.</summary>
internal sealed record OrganizationMembership(long OrganizationId, string Name, bool IsOwner, RepositoryRole DefaultMemberRole);
