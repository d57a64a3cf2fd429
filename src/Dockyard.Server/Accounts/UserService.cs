using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Dockyard.Server.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Users: local accounts with hashed passwords, profile, administrator flag, deactivation, deletion. Every change
/// takes the <see cref="Caller"/>, is authorized here (<see cref="IAccessAuthorizer"/>: the <see cref="ResourceKind.User"/> rules) and recorded here
/// (<see cref="AuditedOperations"/>), whichever entry point called; the service also enforces the invariants (valid
/// names, password policy, at least one active system administrator remains, no organization loses its last owner).
/// </summary>
internal sealed class UserService(
    IDbContextFactory<DockyardDbContext> contexts,
    TimeProvider time,
    IAccessAuthorizer authorizer,
    AuditedOperations audited,
    ICredentialAuthenticator credentials,
    LoginThrottle throttle)
{
    /// <summary>Creates a local user (system administrators; CLI verbs and bootstrap as the system).</summary>
    public Task<UserEntity> CreateLocalAsync(Caller caller, NewUser user, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.UserCreate, $"users/{user.Username}")
                .WithFields(("username", user.Username), ("email", user.Email), ("displayName", user.DisplayName), ("isAdmin", user.IsAdmin)),
            token => authorizer.RequireAsync(caller.Principal, Operation.SystemAdminister, Resource.System, "Only system administrators may create users.", token),
            token => CreateLocalAsync(user, token),
            cancellationToken,
            created => $"users/{created.Username}");

    /// <summary>Profile fields (<see cref="Operation.UserUpdate"/>) or the administrator flag and active state (<see cref="Operation.UserAdminister"/>); others' records are hidden.</summary>
    private async Task<AccessDecision> AuthorizeUpdateAsync(Principal principal, string username, bool changesRole, CancellationToken cancellationToken) =>
        await authorizer.RequireVisibleAsync(
            principal,
            Operation.UserView,
            changesRole ? Operation.UserAdminister : Operation.UserUpdate,
            Resource.ForUser(await UserIdAsync(username, cancellationToken)),
            ("Only system administrators may change other users.", NotFound(username), changesRole
                ? "Only system administrators may change isAdmin or isActive."
                : "Changing a profile needs a user's full rights: sign in with a password or an access token without scopes."),
            cancellationToken);

    /// <summary><see cref="Operation.UserAdminister"/>: the user themself is told no (403), anyone else finds no such user.</summary>
    public async Task<AccessDecision> AuthorizeAdministerAsync(Principal principal, string username, string what, CancellationToken cancellationToken)
    {
        var reason = $"Only system administrators may {what}.";
        return await authorizer.RequireVisibleAsync(
            principal, Operation.UserView, Operation.UserAdminister, Resource.ForUser(await UserIdAsync(username, cancellationToken)), (reason, NotFound(username), reason), cancellationToken);
    }

    /// <summary>The id of the user named <paramref name="username"/>; not found otherwise.</summary>
    private async Task<long> UserIdAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Username == username).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound(NotFound(username));
    }

    public static string NotFound(string username) => $"User '{username}' not found.";

    private async Task<UserEntity> CreateLocalAsync(NewUser user, CancellationToken cancellationToken)
    {
        AccountNames.Validate("username", user.Username);
        PasswordPolicy.Validate("password", user.Username, user.Password);
        ValidateProfile(user.Email, user.DisplayName);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(u => u.Username == user.Username, cancellationToken))
        {
            throw DomainException.Conflict($"A user named '{user.Username}' already exists.");
        }

        if (await db.Organizations.AnyAsync(o => o.Name == user.Username, cancellationToken))
        {
            throw DomainException.Conflict($"The name '{user.Username}' is taken by an organization.");
        }

        var entity = new UserEntity
        {
            Username = user.Username,
            Email = NullIfEmpty(user.Email),
            DisplayName = NullIfEmpty(user.DisplayName),
            PasswordHash = PasswordHasher.Hash(user.Password),
            Source = AccountSource.Local,
            IsAdmin = user.IsAdmin,
            CreatedAt = time.GetUtcNow(),
        };
        db.Users.Add(entity);
        await SaveAsync(db, $"A user named '{user.Username}' already exists.", cancellationToken);
        return entity;
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UserEntity>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().OrderBy(u => u.Username).ToListAsync(cancellationToken);
    }

    public async Task<UserEntity?> FindAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
    }

    /// <summary>
    /// Changes the given fields; null leaves a field as it is, an empty string clears it. Email and display name: the
    /// user themself (full rights) or a system administrator; the administrator flag and active state: administrators.
    /// </summary>
    public Task<UserEntity> UpdateAsync(Caller caller, string username, string? email, string? displayName, bool? isAdmin, bool? isActive, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.UserUpdate, $"users/{username}")
                .WithFields(("email", email), ("displayName", displayName), ("isAdmin", isAdmin), ("isActive", isActive)),
            token => AuthorizeUpdateAsync(caller.Principal, username, isAdmin is not null || isActive is not null, token),
            token => UpdateAsync(username, email, displayName, isAdmin, isActive, token),
            cancellationToken);

    private async Task<UserEntity> UpdateAsync(string username, string? email, string? displayName, bool? isAdmin, bool? isActive, CancellationToken cancellationToken)
    {
        ValidateProfile(email, displayName);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await BeginAccountsTransactionAsync(db, cancellationToken);
        var user = await GetAsync(db, username, cancellationToken);
        if ((isAdmin == false || isActive == false) && user is { IsAdmin: true, IsActive: true })
        {
            await EnsureAnotherAdminAsync(db, user, cancellationToken);
        }

        if (email is not null)
        {
            user.Email = NullIfEmpty(email);
        }

        if (displayName is not null)
        {
            user.DisplayName = NullIfEmpty(displayName);
        }

        user.IsAdmin = isAdmin ?? user.IsAdmin;
        if (isActive is { } active && active != user.IsActive)
        {
            user.IsActive = active;
            if (!active)
            {
                // Revoked for good (recorded), so reactivating the user brings none of them back.
                await UserCredentials.RevokeAllAsync(db, user.Id, time.GetUtcNow(), cancellationToken);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    /// <summary>Deletes a user with their memberships, grants and tokens (system administrators).</summary>
    public Task DeleteAsync(Caller caller, string username, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.UserDelete, $"users/{username}"),
            token => AuthorizeAdministerAsync(caller.Principal, username, "delete users", token),
            token => DeleteAsync(username, token),
            cancellationToken);

    private async Task DeleteAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await BeginAccountsTransactionAsync(db, cancellationToken);
        var user = await GetAsync(db, username, cancellationToken);
        if (user is { IsAdmin: true, IsActive: true })
        {
            await EnsureAnotherAdminAsync(db, user, cancellationToken);
        }

        var soleOwnerOf = await (
            from m in db.OrganizationMembers
            where m.UserId == user.Id && m.IsOwner
            where !db.OrganizationMembers.Any(o => o.OrganizationId == m.OrganizationId && o.IsOwner && o.UserId != user.Id)
            join o in db.Organizations on m.OrganizationId equals o.Id
            select o.Name).FirstOrDefaultAsync(cancellationToken);
        if (soleOwnerOf is not null)
        {
            throw DomainException.Conflict($"'{username}' is the last owner of organization '{soleOwnerOf}'; make someone else an owner first.");
        }

        await db.OrganizationMembers.Where(m => m.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.TeamMembers.Where(m => m.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.RepositoryPermissions.Where(p => p.SubjectKind == PermissionSubject.User && p.SubjectId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.AccessTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.RefreshTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.UiSessions.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Users.Where(u => u.Id == user.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The calling user (full rights: never a scoped token) changes their own password, proving the current one through
    /// the throttled credential check, so guesses count toward the login throttle like sign-in attempts. Ends the
    /// user's other UI sessions (all but <paramref name="keepSessionId"/>, the session making the change) and revokes
    /// their refresh tokens; access tokens stay (their owner manages them).
    /// </summary>
    public Task ChangePasswordAsync(Caller caller, string? currentPassword, string? newPassword, long? keepSessionId, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.UserPasswordChange, "me/password"),
            token => authorizer.RequireOwnAccountAsync(caller.Principal, Operation.AccountManage, "Only users have passwords.", token),
            token => ChangePasswordAsync(caller.Principal.UserId!.Value, currentPassword, newPassword, keepSessionId, token),
            cancellationToken);

    private async Task ChangePasswordAsync(long userId, string? currentPassword, string? newPassword, long? keepSessionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw DomainException.NotFound("User not found.");
        EnsureLocal(user);

        // The password itself: an access token in this field would otherwise pass the credential check.
        var proof = SecretToken.LooksLikeSecret(currentPassword)
            ? null
            : (await credentials.AuthenticateAsync(user.Username, currentPassword ?? string.Empty, cancellationToken)).Principal;
        if (proof is not { Kind: PrincipalKind.User, AuthMethod: AuthMethods.Password } || proof.UserId != userId)
        {
            throw DomainException.Invalid("currentPassword", "The current password is wrong.");
        }

        PasswordPolicy.Validate("newPassword", user.Username, newPassword);
        user.PasswordHash = PasswordHasher.Hash(newPassword!);
        await UserCredentials.SignOutEverywhereAsync(db, user.Id, keepSessionId, time.GetUtcNow(), UiSessionEndReasons.PasswordChanged, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// An administrator (or the system: <c>dockyard admin reset-password</c>) sets a new password for a local user:
    /// <paramref name="newPassword"/>, or a generated one when null. Returns the password in effect so it can be
    /// shown once; it is never recorded.
    /// </summary>
    public Task<string> ResetPasswordAsync(Caller caller, string username, string? newPassword, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.UserPasswordReset, $"users/{username}"),
            token => AuthorizeAdministerAsync(caller.Principal, username, "reset passwords (use /me/password for your own)", token),
            token => ResetPasswordAsync(username, newPassword, token),
            cancellationToken);

    /// <summary>
    /// A system administrator (or the system, from the CLI) forgets a user's failed sign-ins, from every address: the
    /// way to lift a lock or delay at once, without waiting for it to expire. Returns how many counters were removed.
    /// </summary>
    public Task<int> UnlockAsync(Caller caller, string username, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.UserUnlock, $"users/{username}"),
            token => AuthorizeAdministerAsync(caller.Principal, username, "unlock accounts", token),
            token => throttle.UnlockUserAsync(username, token),
            cancellationToken);

    private async Task<string> ResetPasswordAsync(string username, string? newPassword, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await GetAsync(db, username, cancellationToken);
        EnsureLocal(user);
        var password = newPassword ?? PasswordPolicy.Generate();
        PasswordPolicy.Validate("password", user.Username, password);
        user.PasswordHash = PasswordHasher.Hash(password);
        await UserCredentials.SignOutEverywhereAsync(db, user.Id, exceptSessionId: null, time.GetUtcNow(), UiSessionEndReasons.PasswordReset, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return password;
    }

    internal static async Task SaveAsync(DockyardDbContext db, string conflictMessage, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A unique index caught a concurrent create of the same name.
            throw DomainException.Conflict(conflictMessage);
        }
    }

    /// <summary>
    /// A transaction in which "another active administrator remains" and "another owner remains" are checked and then
    /// acted on: two concurrent removals of the last two administrators must not both pass the check. On SQLite the
    /// transaction is a write transaction from its start (Microsoft.Data.Sqlite begins IMMEDIATE), so it excludes every
    /// other writer before the check reads; on PostgreSQL a transaction-scoped advisory lock, taken by every such change
    /// before it reads, orders them (each then reads the committed result of the one before, under READ COMMITTED).
    /// </summary>
    private static async Task<IDbContextTransaction> BeginAccountsTransactionAsync(DockyardDbContext db, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.LockAsync(new[] { DatabaseLockKeys.AccountInvariants }, cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private static async Task<UserEntity> GetAsync(DockyardDbContext db, string username, CancellationToken cancellationToken) =>
        await db.Users.FirstOrDefaultAsync(u => u.Username == username, cancellationToken)
        ?? throw DomainException.NotFound($"User '{username}' not found.");

    private static async Task EnsureAnotherAdminAsync(DockyardDbContext db, UserEntity user, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.IsAdmin && u.IsActive && u.Id != user.Id, cancellationToken))
        {
            throw DomainException.Conflict($"'{user.Username}' is the last active system administrator.");
        }
    }

    private static void EnsureLocal(UserEntity user)
    {
        if (user.Source != AccountSource.Local)
        {
            throw DomainException.Conflict($"The password of '{user.Username}' is managed by the directory it comes from.");
        }
    }

    private static void ValidateProfile(string? email, string? displayName)
    {
        if (!string.IsNullOrEmpty(email) && (email.Length > 320 || email.IndexOf('@', StringComparison.Ordinal) is < 1 || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw DomainException.Invalid("email", "Must be an email address.");
        }

        if (displayName is { Length: > 256 })
        {
            throw DomainException.Invalid("displayName", "Must be at most 256 characters.");
        }

        if (displayName is not null && displayName.Any(char.IsControl))
        {
            throw DomainException.Invalid("displayName", "Must not contain control characters.");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
