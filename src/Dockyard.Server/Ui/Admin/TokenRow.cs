using Dockyard.Server.Access;
using Dockyard.Server.Accounts;

namespace Dockyard.Server.Ui.Admin;

/// <summary>An access token as the token tables show it: never its secret, only the prefix that identifies it.</summary>
public sealed record TokenRow(long Id, string Name, string Prefix, string Scopes, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, DateTimeOffset CreatedAt)
{
    internal static TokenRow From(AccessTokenView token) => new(
        token.Id,
        token.Name,
        token.Prefix,
        token.Scopes is { } scopes
            ? string.Join("; ", scopes.Select(s => $"{s.RepositoryPattern}: {string.Join(", ", RepositoryActionNames.Of(s.Actions))}"))
            : "all of your rights",
        token.ExpiresAt,
        token.LastUsedAt,
        token.RevokedAt,
        token.CreatedAt);
}
