using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Identity;

/// <summary>
/// Personal access tokens and service-account tokens: creation (the secret is returned once), validation into a
/// <see cref="Principal"/> carrying the token's scopes, revocation.
/// </summary>
internal sealed class AccessTokenService(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time)
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public Task<(AccessTokenEntity Token, string Secret)> CreateForUserAsync(long userId, string name, IReadOnlyList<TokenScope>? scopes, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        CreateAsync(userId, null, name, scopes, expiresAt, cancellationToken);

    public Task<(AccessTokenEntity Token, string Secret)> CreateForServiceAccountAsync(long serviceAccountId, string name, IReadOnlyList<TokenScope> scopes, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        CreateAsync(null, serviceAccountId, name, scopes, expiresAt, cancellationToken);

    /// <summary>
    /// The principal a secret stands for, or null when the secret is unknown, revoked, expired, or its owner is
    /// deactivated. Constant-time on the secret comparison.
    /// </summary>
    public async Task<Principal?> ValidateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!SecretToken.LooksLikeSecret(secret))
        {
            return null;
        }

        var prefix = SecretToken.PrefixOf(secret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.AccessTokens.FirstOrDefaultAsync(t => t.Prefix == prefix, cancellationToken);
        var now = time.GetUtcNow();
        if (token is null || !SecretToken.Matches(secret, token.SecretHash) || token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return null;
        }

        var principal = await ResolveOwnerAsync(db, token, cancellationToken);
        if (principal is null)
        {
            return null;
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > LastUsedResolution)
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return principal;
    }

    public async Task<bool> RevokeAsync(long tokenId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.AccessTokens.FirstOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null || token.RevokedAt is not null)
        {
            return false;
        }

        token.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public static string SerializeScopes(IReadOnlyList<TokenScope> scopes) =>
        JsonSerializer.Serialize(scopes.Select(s => new ScopeDocument(s.RepositoryPattern, RepositoryActionNames.Of(s.Actions))).ToList());

    public static IReadOnlyList<TokenScope>? DeserializeScopes(string? json) =>
        json is null
            ? null
            : JsonSerializer.Deserialize<List<ScopeDocument>>(json)!.Select(d => new TokenScope(d.Repository, ParseActions(d.Actions))).ToList();

    private async Task<(AccessTokenEntity Token, string Secret)> CreateAsync(
        long? userId,
        long? serviceAccountId,
        string name,
        IReadOnlyList<TokenScope>? scopes,
        DateTimeOffset? expiresAt,
        CancellationToken cancellationToken)
    {
        var (secret, prefix, hash) = SecretToken.Create();
        var token = new AccessTokenEntity
        {
            UserId = userId,
            ServiceAccountId = serviceAccountId,
            Name = name,
            Prefix = prefix,
            SecretHash = hash,
            ScopesJson = scopes is null ? null : SerializeScopes(scopes),
            ExpiresAt = expiresAt,
            CreatedAt = time.GetUtcNow(),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return (token, secret);
    }

    private static async Task<Principal?> ResolveOwnerAsync(DockyardDbContext db, AccessTokenEntity token, CancellationToken cancellationToken)
    {
        var scopes = DeserializeScopes(token.ScopesJson);
        if (token.UserId is { } userId)
        {
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
            return user is { IsActive: true }
                ? new Principal { Kind = PrincipalKind.User, Name = user.Username, UserId = user.Id, IsAdmin = user.IsAdmin, AuthMethod = AuthMethods.AccessToken, Scopes = scopes }
                : null;
        }

        var account = await db.ServiceAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == token.ServiceAccountId, cancellationToken);
        if (account is not { IsActive: true })
        {
            return null;
        }

        var organization = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == account.OrganizationId, cancellationToken);
        return new Principal
        {
            Kind = PrincipalKind.ServiceAccount,
            Name = $"{organization.Name}/{account.Name}",
            ServiceAccountId = account.Id,
            OrganizationId = account.OrganizationId,
            AuthMethod = AuthMethods.AccessToken,
            // A service account has no rights of its own beyond its token's scopes.
            Scopes = scopes ?? [],
        };
    }

    private static RepositoryActions ParseActions(IEnumerable<string> names) =>
        names.Aggregate(RepositoryActions.None, (all, name) => RepositoryActionNames.TryParse(name, out var action) ? all | action : all);

    private sealed record ScopeDocument(string Repository, string[] Actions);
}
