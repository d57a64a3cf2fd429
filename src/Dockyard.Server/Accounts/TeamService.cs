using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>Teams inside an organization and their members (who must be members of the organization).</summary>
internal sealed class TeamService(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time)
{
    public async Task<IReadOnlyList<TeamEntity>> ListAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking().Where(t => t.OrganizationId == organizationId).OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }

    public async Task<TeamEntity> GetAsync(long organizationId, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await FindAsync(db, organizationId, name, cancellationToken);
    }

    public async Task<TeamEntity> CreateAsync(long organizationId, string name, string? description, CancellationToken cancellationToken)
    {
        AccountNames.Validate("name", name);
        OrganizationService.ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Teams.AnyAsync(t => t.OrganizationId == organizationId && t.Name == name, cancellationToken))
        {
            throw DomainException.Conflict($"A team named '{name}' already exists.");
        }

        var team = new TeamEntity { OrganizationId = organizationId, Name = name, Description = description, CreatedAt = time.GetUtcNow() };
        db.Teams.Add(team);
        await UserService.SaveAsync(db, $"A team named '{name}' already exists.", cancellationToken);
        return team;
    }

    /// <summary>Renames a team and/or changes its description (null leaves a field as it is).</summary>
    public async Task<TeamEntity> UpdateAsync(long organizationId, string name, string? newName, string? description, CancellationToken cancellationToken)
    {
        OrganizationService.ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var team = await FindAsync(db, organizationId, name, cancellationToken);
        if (newName is not null && newName != team.Name)
        {
            AccountNames.Validate("name", newName);
            if (await db.Teams.AnyAsync(t => t.OrganizationId == organizationId && t.Name == newName, cancellationToken))
            {
                throw DomainException.Conflict($"A team named '{newName}' already exists.");
            }

            team.Name = newName;
        }

        if (description is not null)
        {
            team.Description = description.Length == 0 ? null : description;
        }

        await UserService.SaveAsync(db, $"A team named '{newName}' already exists.", cancellationToken);
        return team;
    }

    /// <summary>Deletes a team with its memberships and its repository grants.</summary>
    public async Task DeleteAsync(long organizationId, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var team = await FindAsync(db, organizationId, name, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.RepositoryPermissions.Where(p => p.SubjectKind == PermissionSubject.Team && p.SubjectId == team.Id).ExecuteDeleteAsync(cancellationToken);
        await db.TeamMembers.Where(m => m.TeamId == team.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Teams.Where(t => t.Id == team.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TeamMember>> ListMembersAsync(long organizationId, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var team = await FindAsync(db, organizationId, name, cancellationToken);
        var rows = await (
            from m in db.TeamMembers.AsNoTracking()
            where m.TeamId == team.Id
            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
            select new { u.Username, u.DisplayName, m.Source, m.CreatedAt }).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Username, StringComparer.Ordinal).Select(r => new TeamMember(r.Username, r.DisplayName, r.Source, r.CreatedAt))];
    }

    /// <summary>Adds an organization member to the team; true when added, false when already in it.</summary>
    public async Task<bool> AddMemberAsync(long organizationId, string name, string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var team = await FindAsync(db, organizationId, name, cancellationToken);
        var user = await OrganizationService.FindUserAsync(db, username, cancellationToken);
        if (!await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == user.Id, cancellationToken))
        {
            throw DomainException.Conflict($"'{username}' must be a member of the organization before joining one of its teams.");
        }

        if (await db.TeamMembers.AnyAsync(m => m.TeamId == team.Id && m.UserId == user.Id, cancellationToken))
        {
            return false;
        }

        db.TeamMembers.Add(new TeamMemberEntity { TeamId = team.Id, UserId = user.Id, Source = AccountSource.Local, CreatedAt = time.GetUtcNow() });
        await UserService.SaveAsync(db, $"'{username}' is already in the team.", cancellationToken);
        return true;
    }

    public async Task RemoveMemberAsync(long organizationId, string name, string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var team = await FindAsync(db, organizationId, name, cancellationToken);
        var user = await OrganizationService.FindUserAsync(db, username, cancellationToken);
        if (await db.TeamMembers.Where(m => m.TeamId == team.Id && m.UserId == user.Id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw DomainException.NotFound($"'{username}' is not in team '{name}'.");
        }
    }

    private static async Task<TeamEntity> FindAsync(DockyardDbContext db, long organizationId, string name, CancellationToken cancellationToken) =>
        await db.Teams.FirstOrDefaultAsync(t => t.OrganizationId == organizationId && t.Name == name, cancellationToken)
        ?? throw DomainException.NotFound($"Team '{name}' not found.");
}
