using Dockyard.Server.Access;
using Dockyard.Server.Accounts;

namespace Dockyard.Server.Api;

/// <summary>An access token as listed: never its secret, only the public prefix that identifies it.</summary>
internal sealed record AccessTokenResponse(
    long Id,
    string Name,
    string Prefix,
    IReadOnlyList<ScopeSpec>? Scopes,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset CreatedAt)
{
    public static AccessTokenResponse From(AccessTokenView token) => new(
        token.Id,
        token.Name,
        token.Prefix,
        token.Scopes?.Select(s => new ScopeSpec(s.RepositoryPattern, RepositoryActionNames.Of(s.Actions))).ToList(),
        token.ExpiresAt,
        token.LastUsedAt,
        token.RevokedAt,
        token.CreatedAt);
}
