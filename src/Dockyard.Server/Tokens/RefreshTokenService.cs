using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Dockyard.Server.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tokens;

/// <summary>
/// OAuth2 refresh tokens (docker's "identity token"): issued only to users who logged in with their password
/// (local or directory), stored hashed, valid for <see cref="AuthOptions.RefreshTokenLifetime"/> and only while
/// the user is active. Access-token logins get none: a refresh token carries the user's full rights, which would
/// widen a scoped token and outlive its revocation.
/// </summary>
internal sealed class RefreshTokenService(IDbContextFactory<DockyardDbContext> contexts, IOptions<AuthOptions> options, TimeProvider time)
{
    public static bool MayReceive(Principal principal) =>
        principal is { Kind: PrincipalKind.User, UserId: not null, Scopes: null }
        && principal.AuthMethod is AuthMethods.Password or AuthMethods.Ldap or AuthMethods.RefreshToken;

    public async Task<string> CreateAsync(long userId, string? clientId, CancellationToken cancellationToken)
    {
        var (secret, prefix, hash) = SecretToken.Create();
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.RefreshTokens.Add(new RefreshTokenEntity
        {
            UserId = userId,
            Prefix = prefix,
            SecretHash = hash,
            ClientId = clientId is { Length: > 0 and <= 128 } ? clientId : null,
            ExpiresAt = now + options.Value.RefreshTokenLifetime,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>
    /// As <see cref="CreateAsync"/>, but null when the storage is full: a refresh token is a convenience, and a login on
    /// a full disk succeeds without one (docker then keeps the credentials it logged in with).
    /// </summary>
    public async Task<string?> TryCreateAsync(long userId, string? clientId, CancellationToken cancellationToken)
    {
        try
        {
            return await CreateAsync(userId, clientId, cancellationToken);
        }
        catch (Exception error) when (OutOfSpace.Is(error))
        {
            return null;
        }
    }

    /// <summary>The user a refresh token stands for; null when unknown, expired, revoked, or the user is deactivated.</summary>
    public async Task<Principal?> ValidateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!SecretToken.LooksLikeSecret(secret))
        {
            return null;
        }

        var prefix = SecretToken.PrefixOf(secret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Prefix == prefix, cancellationToken);
        if (token is null || !SecretToken.Matches(secret, token.SecretHash) || token.RevokedAt is not null || token.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == token.UserId, cancellationToken);
        return user is { IsActive: true }
            ? new Principal { Kind = PrincipalKind.User, Name = user.Username, UserId = user.Id, IsAdmin = user.IsAdmin, AuthMethod = AuthMethods.RefreshToken }
            : null;
    }

    /// <summary>Revokes every refresh token of a user (password reset, deactivation).</summary>
    public async Task<int> RevokeAllAsync(long userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var tokens = await db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(cancellationToken);
        tokens.ForEach(t => t.RevokedAt = now);
        await db.SaveChangesAsync(cancellationToken);
        return tokens.Count;
    }
}
