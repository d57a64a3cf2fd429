using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Teams inside an organization and their members (who must be members of the organization). Every change takes the
/// <see cref="Caller"/>, is authorized here (owners and system administrators: <see cref="OrganizationAccessRules"/>)
/// and recorded here (<see cref="AuditedOperations"/>) under the team's API path (<c>orgs/acme/teams/devs</c>),
/// whichever entry point called.
/// </summary>
internal sealed class TeamService(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, OrganizationAccessRules rules, AuditedOperations audited)
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

    public Task<TeamEntity> CreateAsync(Caller caller, string organization, string name, string? description, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.TeamCreate, OrganizationService.Item($"orgs/{organization}/teams", name)) { Organization = organization }
                .WithFields(("name", name), ("description", description)),
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => CreateAsync(organization, name, description, token),
            cancellationToken,
            created => $"orgs/{organization}/teams/{created.Name}");

    private async Task<TeamEntity> CreateAsync(string organization, string name, string? description, CancellationToken cancellationToken)
    {
        AccountNames.Validate("name", name);
        OrganizationService.ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
        if (await db.Teams.AnyAsync(t => t.OrganizationId == organizationId && t.Name == name, cancellationToken))
        {
            throw DomainException.Conflict($"A team named '{name}' already exists.");
        }

        var team = new TeamEntity { OrganizationId = organizationId, Name = name, Description = description, CreatedAt = time.GetUtcNow() };
        db.Teams.Add(team);
        await UserService.SaveAsync(db, $"A team named '{name}' already exists.", cancellationToken);
        return team;
    }

    /// <summary>Renames a team and/or changes its description (null leaves a field as it is). Recorded under the team's old path.</summary>
    public Task<TeamEntity> UpdateAsync(Caller caller, string organization, string name, string? newName, string? description, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.TeamUpdate, $"orgs/{organization}/teams/{name}") { Organization = organization }
                .WithFields(("name", newName), ("description", description)),
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => UpdateAsync(organization, name, newName, description, token),
            cancellationToken);

    private async Task<TeamEntity> UpdateAsync(string organization, string name, string? newName, string? description, CancellationToken cancellationToken)
    {
        OrganizationService.ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
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

    /// <summary>Deletes a team with its memberships and its repository grants; refused (conflict) while a signature policy requires it.</summary>
    public Task DeleteAsync(Caller caller, string organization, string name, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.TeamDelete, $"orgs/{organization}/teams/{name}") { Organization = organization },
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => DeleteAsync(organization, name, token),
            cancellationToken);

    private async Task DeleteAsync(string organization, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
        var team = await FindAsync(db, organizationId, name, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var policies = await (
            from link in db.TrustPolicyTeams.AsNoTracking()
            where link.TeamId == team.Id
            join policy in db.TrustPolicies.AsNoTracking() on link.PolicyId equals policy.Id
            join owner in db.Organizations.AsNoTracking() on policy.OrganizationId equals owner.Id
            orderby policy.Id
            select "signature policy " + policy.Id + " of " + owner.Name).ToListAsync(cancellationToken);
        if (policies.Count > 0)
        {
            // Deleting it would silently drop a required signer (the link cascades): the policy must change first.
            throw DomainException.Conflict($"Team {organization}/{name} is required by {string.Join(", ", policies)}: edit or delete the policy first.");
        }

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
    public Task<bool> AddMemberAsync(Caller caller, string organization, string name, string? username, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.TeamMemberAdd, OrganizationService.Item($"orgs/{organization}/teams/{name}/members", username)) { Organization = organization },
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => AddMemberAsync(organization, name, username ?? string.Empty, token),
            cancellationToken);

    private async Task<bool> AddMemberAsync(string organization, string name, string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
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

    public Task RemoveMemberAsync(Caller caller, string organization, string name, string username, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.TeamMemberRemove, $"orgs/{organization}/teams/{name}/members/{username}") { Organization = organization },
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => RemoveMemberAsync(organization, name, username, token),
            cancellationToken);

    private async Task RemoveMemberAsync(string organization, string name, string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
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
