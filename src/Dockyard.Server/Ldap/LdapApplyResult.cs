using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Ldap;

/// <summary>
/// What applying a directory entry to the database did: the user (null when refused, see <see cref="Refusal"/>)
/// and how many team memberships were added and removed.
/// </summary>
internal sealed record LdapApplyResult(UserEntity? User, string? Refusal, int TeamsAdded, int TeamsRemoved);
