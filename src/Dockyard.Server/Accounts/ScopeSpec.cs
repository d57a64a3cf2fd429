namespace Dockyard.Server.Accounts;

/// <summary>A requested token scope: a repository glob and the actions (<c>pull</c>, <c>push</c>, <c>delete</c>) allowed on it.</summary>
internal sealed record ScopeSpec(string Repository, IReadOnlyList<string> Actions);
