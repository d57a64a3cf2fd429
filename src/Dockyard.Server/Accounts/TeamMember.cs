using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>A member of a team; <see cref="Source"/> tells whether LDAP sync manages the membership.</summary>
internal sealed record TeamMember(string Username, string? DisplayName, AccountSource Source, DateTimeOffset CreatedAt);
