namespace Dockyard.Server.Accounts;

/// <summary>A member of an organization as listed by the API.</summary>
internal sealed record OrganizationMember(string Username, string? DisplayName, bool IsOwner, DateTimeOffset CreatedAt);
