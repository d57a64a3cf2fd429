using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Dockyard.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Users: local accounts with hashed passwords, profile, administrator flag, deactivation, deletion. Callers
/// authorize first; this service enforces the invariants (valid names, password policy, at least one active
/// system administrator remains, no organization loses its last owner).
/// </summary>
internal sealed class UserService(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time)
{
    public async Task<UserEntity> CreateLocalAsync(NewUser user, CancellationToken cancellationToken)
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

    /// <summary>Changes the given fields; null leaves a field as it is, an empty string clears it.</summary>
    public async Task<UserEntity> UpdateAsync(string username, string? email, string? displayName, bool? isAdmin, bool? isActive, CancellationToken cancellationToken)
    {
        ValidateProfile(email, displayName);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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
                // Access tokens check IsActive on every use; refresh tokens are revoked outright.
                await RevokeRefreshTokensAsync(db, user.Id, cancellationToken);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>Deletes a user with their memberships, grants and tokens.</summary>
    public async Task DeleteAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.OrganizationMembers.Where(m => m.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.TeamMembers.Where(m => m.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.RepositoryPermissions.Where(p => p.SubjectKind == PermissionSubject.User && p.SubjectId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.AccessTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.RefreshTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Users.Where(u => u.Id == user.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A user changes their own password, proving the current one.</summary>
    public async Task ChangePasswordAsync(long userId, string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw DomainException.NotFound("User not found.");
        EnsureLocal(user);
        if (!PasswordHasher.Verify(currentPassword ?? string.Empty, user.PasswordHash))
        {
            throw DomainException.Invalid("currentPassword", "The current password is wrong.");
        }

        PasswordPolicy.Validate("newPassword", user.Username, newPassword);
        user.PasswordHash = PasswordHasher.Hash(newPassword!);
        await RevokeRefreshTokensAsync(db, user.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// An administrator sets a new password for a local user: <paramref name="newPassword"/>, or a generated one
    /// when null. Returns the password in effect so it can be shown once.
    /// </summary>
    public async Task<string> ResetPasswordAsync(string username, string? newPassword, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await GetAsync(db, username, cancellationToken);
        EnsureLocal(user);
        var password = newPassword ?? PasswordPolicy.Generate();
        PasswordPolicy.Validate("password", user.Username, password);
        user.PasswordHash = PasswordHasher.Hash(password);
        await RevokeRefreshTokensAsync(db, user.Id, cancellationToken);
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

    private Task RevokeRefreshTokensAsync(DockyardDbContext db, long userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
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
        if (!string.IsNullOrEmpty(email) && (email.Length > 320 || email.IndexOf('@', StringComparison.Ordinal) is < 1 || email.Any(char.IsWhiteSpace)))
        {
            throw DomainException.Invalid("email", "Must be an email address.");
        }

        if (displayName is { Length: > 256 })
        {
            throw DomainException.Invalid("displayName", "Must be at most 256 characters.");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
