using Dockyard.Server.Access;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Identity;

namespace Dockyard.Server.Accounts;

/// <summary>An access token as the API and the UI list it: never its secret, only the public prefix that identifies it; null scopes mean all of its owner's rights.</summary>
internal sealed record AccessTokenView(
    long Id,
    string Name,
    string Prefix,
    IReadOnlyList<TokenScope>? Scopes,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset CreatedAt)
{
    public static AccessTokenView From(AccessTokenEntity token) => new(
        token.Id,
        token.Name,
        token.Prefix,
        AccessTokenService.DeserializeScopes(token.ScopesJson),
        token.ExpiresAt,
        token.LastUsedAt,
        token.RevokedAt,
        token.CreatedAt);
}
