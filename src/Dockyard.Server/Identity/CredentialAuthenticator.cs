using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Identity;

/// <summary>
/// Credentials in the order they are tried: an access token in the password field (any username), a local
/// account's password, then external directories. Every failed password sign-in costs one PBKDF2 verification,
/// real or equalizing (<see cref="PasswordHashing.EqualizeAsync"/>), so time does not tell which usernames exist.
/// </summary>
internal sealed class CredentialAuthenticator(
    IDbContextFactory<DockyardDbContext> contexts,
    AccessTokenService tokens,
    IEnumerable<IExternalPasswordAuthenticator> directories,
    LocalAccountsGate localAccounts,
    PasswordHashing hashing,
    TimeProvider time) : ICredentialAuthenticator
{
    public async Task<AuthenticationResult> AuthenticateAsync(string username, string password, CancellationToken cancellationToken)
    {
        if (SecretToken.LooksLikeSecret(password))
        {
            var principal = await tokens.ValidateAsync(password, cancellationToken);
            return principal is null ? AuthenticationResult.Failure("invalid, expired or revoked access token") : AuthenticationResult.Success(principal);
        }

        var name = username.Trim().ToLowerInvariant();
        if (name.Length == 0 || name.Any(char.IsControl))
        {
            // No account can have such a name; not worth a query (PostgreSQL refuses NUL in text outright).
            await hashing.EqualizeAsync(password, cancellationToken);
            return AuthenticationResult.Failure("malformed username");
        }

        await localAccounts.WaitAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == name, cancellationToken);
        if (user is { Source: AccountSource.Local })
        {
            if (!await hashing.VerifyAsync(password, user.PasswordHash, cancellationToken))
            {
                return AuthenticationResult.Failure("wrong password");
            }

            if (!user.IsActive)
            {
                return AuthenticationResult.Failure("user is deactivated");
            }

            user.LastLoginAt = time.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception error) when (OutOfSpace.Is(error))
            {
                // A stamp, not a change: on a full disk the sign-in goes on without it.
            }

            return AuthenticationResult.Success(new Principal
            {
                Kind = PrincipalKind.User,
                Name = user.Username,
                UserId = user.Id,
                IsAdmin = user.IsAdmin,
                AuthMethod = AuthMethods.Password,
            });
        }

        foreach (var directory in directories)
        {
            if (await directory.AuthenticateAsync(name, password, cancellationToken) is { } result)
            {
                if (!result.Succeeded)
                {
                    // A directory refuses a wrong password with a fast failed bind: pay what an unknown user pays.
                    await hashing.EqualizeAsync(password, cancellationToken);
                }

                return result;
            }
        }

        // Spend the time a real verification would, so response time does not tell which usernames exist.
        await hashing.EqualizeAsync(password, cancellationToken);
        return AuthenticationResult.Failure(user is null ? "unknown user" : "no directory accepted the credentials");
    }
}
