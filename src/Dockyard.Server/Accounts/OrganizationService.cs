using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Organizations and their members. Names share one namespace with usernames. Every organization keeps at
/// least one owner; an organization that still holds repositories cannot be deleted.
/// </summary>
internal sealed class OrganizationService(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time)
{
    /// <summary>Creates an organization with <paramref name="ownerUserId"/> as its first owner.</summary>
    public async Task<OrganizationEntity> CreateAsync(string name, string? description, RepositoryRole defaultMemberRole, long ownerUserId, CancellationToken cancellationToken)
    {
        AccountNames.Validate("name", name);
        ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Organizations.AnyAsync(o => o.Name == name, cancellationToken))
        {
            throw DomainException.Conflict($"An organization named '{name}' already exists.");
        }

        if (await db.Users.AnyAsync(u => u.Username == name, cancellationToken))
        {
            throw DomainException.Conflict($"The name '{name}' is taken by a user.");
        }

        var now = time.GetUtcNow();
        var organization = new OrganizationEntity { Name = name, Description = description, DefaultMemberRole = defaultMemberRole, CreatedAt = now };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Organizations.Add(organization);
        await UserService.SaveAsync(db, $"An organization named '{name}' already exists.", cancellationToken);
        db.OrganizationMembers.Add(new OrganizationMemberEntity { OrganizationId = organization.Id, UserId = ownerUserId, IsOwner = true, CreatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return organization;
    }

    public async Task<OrganizationEntity?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Name == name, cancellationToken);
    }

    /// <summary>All organizations, or only those <paramref name="memberUserId"/> belongs to.</summary>
    public async Task<IReadOnlyList<OrganizationEntity>> ListAsync(long? memberUserId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Organizations.AsNoTracking();
        if (memberUserId is { } userId)
        {
            query = query.Where(o => db.OrganizationMembers.Any(m => m.OrganizationId == o.Id && m.UserId == userId));
        }

        return await query.OrderBy(o => o.Name).ToListAsync(cancellationToken);
    }

    public async Task<OrganizationEntity> UpdateAsync(long organizationId, string? description, RepositoryRole? defaultMemberRole, CancellationToken cancellationToken)
    {
        ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organization = await db.Organizations.FirstAsync(o => o.Id == organizationId, cancellationToken);
        if (description is not null)
        {
            organization.Description = description.Length == 0 ? null : description;
        }

        organization.DefaultMemberRole = defaultMemberRole ?? organization.DefaultMemberRole;
        await db.SaveChangesAsync(cancellationToken);
        return organization;
    }

    /// <summary>Deletes an organization with its members, teams, team grants and service accounts; refused while it holds repositories.</summary>
    public async Task DeleteAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organization = await db.Organizations.FirstAsync(o => o.Id == organizationId, cancellationToken);
        var prefix = organization.Name + "/";
        if (await db.Repositories.AnyAsync(r => r.Name == organization.Name || r.Name.StartsWith(prefix), cancellationToken))
        {
            throw DomainException.Conflict($"Organization '{organization.Name}' still has repositories; delete them first.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var teams = db.Teams.Where(t => t.OrganizationId == organizationId).Select(t => t.Id);
        await db.RepositoryPermissions.Where(p => p.SubjectKind == PermissionSubject.Team && teams.Contains(p.SubjectId)).ExecuteDeleteAsync(cancellationToken);
        await db.TeamMembers.Where(m => teams.Contains(m.TeamId)).ExecuteDeleteAsync(cancellationToken);
        await db.Teams.Where(t => t.OrganizationId == organizationId).ExecuteDeleteAsync(cancellationToken);
        var accounts = db.ServiceAccounts.Where(a => a.OrganizationId == organizationId).Select(a => a.Id);
        await db.AccessTokens.Where(t => t.ServiceAccountId != null && accounts.Contains(t.ServiceAccountId.Value)).ExecuteDeleteAsync(cancellationToken);
        await db.ServiceAccounts.Where(a => a.OrganizationId == organizationId).ExecuteDeleteAsync(cancellationToken);
        await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId).ExecuteDeleteAsync(cancellationToken);
        await db.Organizations.Where(o => o.Id == organizationId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from m in db.OrganizationMembers.AsNoTracking()
            where m.OrganizationId == organizationId
            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
            select new { u.Username, u.DisplayName, m.IsOwner, m.CreatedAt }).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Username, StringComparer.Ordinal).Select(r => new OrganizationMember(r.Username, r.DisplayName, r.IsOwner, r.CreatedAt))];
    }

    public async Task<OrganizationMember> AddMemberAsync(long organizationId, string username, bool isOwner, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await FindUserAsync(db, username, cancellationToken);
        if (await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == user.Id, cancellationToken))
        {
            throw DomainException.Conflict($"'{username}' is already a member.");
        }

        var member = new OrganizationMemberEntity { OrganizationId = organizationId, UserId = user.Id, IsOwner = isOwner, CreatedAt = time.GetUtcNow() };
        db.OrganizationMembers.Add(member);
        await UserService.SaveAsync(db, $"'{username}' is already a member.", cancellationToken);
        return new OrganizationMember(user.Username, user.DisplayName, member.IsOwner, member.CreatedAt);
    }

    public async Task<OrganizationMember> SetOwnerAsync(long organizationId, string username, bool isOwner, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (user, member) = await FindMemberAsync(db, organizationId, username, cancellationToken);
        if (member.IsOwner && !isOwner)
        {
            await EnsureAnotherOwnerAsync(db, organizationId, user, cancellationToken);
        }

        member.IsOwner = isOwner;
        await db.SaveChangesAsync(cancellationToken);
        return new OrganizationMember(user.Username, user.DisplayName, member.IsOwner, member.CreatedAt);
    }

    /// <summary>Removes a member from the organization and from all of its teams.</summary>
    public async Task RemoveMemberAsync(long organizationId, string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (user, member) = await FindMemberAsync(db, organizationId, username, cancellationToken);
        if (member.IsOwner)
        {
            await EnsureAnotherOwnerAsync(db, organizationId, user, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var teams = db.Teams.Where(t => t.OrganizationId == organizationId).Select(t => t.Id);
        await db.TeamMembers.Where(m => m.UserId == user.Id && teams.Contains(m.TeamId)).ExecuteDeleteAsync(cancellationToken);
        await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && m.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    internal static async Task<UserEntity> FindUserAsync(DockyardDbContext db, string username, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken)
        ?? throw DomainException.NotFound($"User '{username}' not found.");

    internal static void ValidateDescription(string? description)
    {
        if (description is { Length: > 4096 })
        {
            throw DomainException.Invalid("description", "Must be at most 4096 characters.");
        }
    }

    private static async Task<(UserEntity User, OrganizationMemberEntity Member)> FindMemberAsync(DockyardDbContext db, long organizationId, string username, CancellationToken cancellationToken)
    {
        var user = await FindUserAsync(db, username, cancellationToken);
        var member = await db.OrganizationMembers.FirstOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == user.Id, cancellationToken)
            ?? throw DomainException.NotFound($"'{username}' is not a member.");
        return (user, member);
    }

    private static async Task EnsureAnotherOwnerAsync(DockyardDbContext db, long organizationId, UserEntity user, CancellationToken cancellationToken)
    {
        if (!await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == organizationId && m.IsOwner && m.UserId != user.Id, cancellationToken))
        {
            throw DomainException.Conflict($"'{user.Username}' is the last owner; make someone else an owner first.");
        }
    }
}
