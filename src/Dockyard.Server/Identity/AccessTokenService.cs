using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
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
        // One query for the token and its owner: this runs on every token request a CI pipeline makes.
        var row = await (
            from t in db.AccessTokens.AsNoTracking()
            where t.Prefix == prefix
            join u in db.Users on t.UserId equals u.Id into users
            from u in users.DefaultIfEmpty()
            join a in db.ServiceAccounts on t.ServiceAccountId equals a.Id into accounts
            from a in accounts.DefaultIfEmpty()
            join o in db.Organizations on a.OrganizationId equals o.Id into organizations
            from o in organizations.DefaultIfEmpty()
            select new TokenRow(
                t.Id, t.SecretHash, t.ScopesJson, t.ExpiresAt, t.LastUsedAt, t.RevokedAt,
                u.Id, u.Username, (bool?)u.IsAdmin, (bool?)u.IsActive,
                a.Id, a.Name, (bool?)a.IsActive, (long?)a.OrganizationId, o.Name))
            .FirstOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (row is null || !SecretToken.Matches(secret, row.SecretHash) || row.RevokedAt is not null || row.ExpiresAt <= now)
        {
            return null;
        }

        var principal = OwnerOf(row);
        if (principal is null)
        {
            return null;
        }

        if (row.LastUsedAt is null || now - row.LastUsedAt > LastUsedResolution)
        {
            try
            {
                await db.AccessTokens.Where(t => t.Id == row.Id).ExecuteUpdateAsync(set => set.SetProperty(t => t.LastUsedAt, now), cancellationToken);
            }
            catch (Exception error) when (OutOfSpace.Is(error))
            {
                // A stamp, not a change: on a full disk the token still works.
            }
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

    private static Principal? OwnerOf(TokenRow row)
    {
        var scopes = DeserializeScopes(row.ScopesJson);
        if (row.UserId is { } userId)
        {
            return row.UserIsActive == true
                ? new Principal { Kind = PrincipalKind.User, Name = row.Username!, UserId = userId, IsAdmin = row.UserIsAdmin == true, AuthMethod = AuthMethods.AccessToken, Scopes = scopes }
                : null;
        }

        if (row.AccountId is not { } accountId || row.AccountIsActive != true || row.OrganizationName is null)
        {
            return null;
        }

        return new Principal
        {
            Kind = PrincipalKind.ServiceAccount,
            Name = $"{row.OrganizationName}/{row.AccountName}",
            ServiceAccountId = accountId,
            OrganizationId = row.OrganizationId,
            AuthMethod = AuthMethods.AccessToken,
            // A service account has no rights of its own beyond its token's scopes.
            Scopes = scopes ?? [],
        };
    }

    private static RepositoryActions ParseActions(IEnumerable<string> names) =>
        names.Aggregate(RepositoryActions.None, (all, name) => RepositoryActionNames.TryParse(name, out var action) ? all | action : all);

    private sealed record ScopeDocument(string Repository, string[] Actions);

    /// <summary>A token with its owner's columns (user, or service account and its organization), from one query.</summary>
    private sealed record TokenRow(
        long Id, string SecretHash, string? ScopesJson, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt,
        long? UserId, string? Username, bool? UserIsAdmin, bool? UserIsActive,
        long? AccountId, string? AccountName, bool? AccountIsActive, long? OrganizationId, string? OrganizationName);
}
