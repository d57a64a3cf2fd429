namespace Dockyard.Server.Accounts;

/// <summary>Names a grant form suggests: usernames, teams as <c>org/team</c>, service accounts as <c>org/name</c>.</summary>
internal sealed record GrantSuggestions(IReadOnlyList<string> Users, IReadOnlyList<string> Teams, IReadOnlyList<string> ServiceAccounts);
