using Dockyard.Registry;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Access;

/// <summary>
/// The permission model (see docs/security.md):
/// system administrators may do everything; a user owns the namespace named after them; organization owners
/// administer every repository of their organization; organization members get the organization's default member
/// role; users and teams get roles per repository; public repositories can be pulled by anyone; service accounts act
/// only inside their organization and only as far as their token's scopes allow. Any access token's scopes narrow
/// the result, never widen it.
/// <para>
/// A repository that does not exist yet is created by its first push, so for it only the namespace-level rules
/// apply (namespace owner, organization owners, members through the default role, administrators, service
/// accounts of that organization): per-repository grants exist only for existing repositories.
/// </para>
/// <para>
/// The account state is read from the database on every decision, not from the principal: a deactivated user
/// or service account gets nothing (even with a still-valid token), and the administrator flag is current.
/// Management rights (administer a repository, manage an organization, system administration) need a user's full
/// rights: service accounts never administer, and a token with scopes (which speak only of pull, push, delete)
/// never carries management rights.
/// </para>
/// </summary>
internal sealed class AccessAuthorizer(IDbContextFactory<DockyardDbContext> contexts) : IAccessAuthorizer
{
    public async Task<RepositoryActions> GetRepositoryActionsAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subject = await ResolveAsync(db, principal, cancellationToken);
        return await GetActionsAsync(db, principal, subject, repository, cancellationToken);
    }

    /// <summary>The role a principal holds on a repository, before token scopes (used for repository administration).</summary>
    public async Task<RepositoryRole> GetRepositoryRoleAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subject = await ResolveAsync(db, principal, cancellationToken);
        var entity = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Name == repository.Value, cancellationToken);
        return await GetRoleAsync(db, subject, repository, entity, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> FilterPullableAsync(Principal principal, IReadOnlyList<string> repositories, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subject = await ResolveAsync(db, principal, cancellationToken);
        if (subject is { IsAdmin: true } && principal.Scopes is null)
        {
            return repositories;
        }

        var visible = new List<string>(repositories.Count);
        foreach (var name in repositories)
        {
            if (RepositoryName.TryParse(name, out var repository)
                && (await GetActionsAsync(db, principal, subject, repository, cancellationToken)).HasFlag(RepositoryActions.Pull))
            {
                visible.Add(name);
            }
        }

        return visible;
    }

    /// <summary>An active system administrator acting with full rights (not through a scoped token).</summary>
    public async Task<bool> IsSystemAdministratorAsync(Principal principal, CancellationToken cancellationToken)
    {
        if (principal.Kind == PrincipalKind.System)
        {
            return true;
        }

        if (principal.Kind != PrincipalKind.User || principal.Scopes is not null)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ResolveAsync(db, principal, cancellationToken) is { IsAdmin: true };
    }

    /// <summary>May change the repository's settings and permissions (and delete it): the admin role, with a user's full rights.</summary>
    public async Task<bool> CanAdministerRepositoryAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken) =>
        principal.Kind == PrincipalKind.User && principal.Scopes is null
        && await GetRepositoryRoleAsync(principal, repository, cancellationToken) == RepositoryRole.Admin;

    /// <summary>An active user who is a member (owner or not) of the organization.</summary>
    public async Task<bool> IsOrganizationMemberAsync(Principal principal, long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await GetMembershipAsync(db, principal, organizationId, cancellationToken) is not null;
    }

    /// <summary>May see the organization, its members and teams: members and system administrators (and the system).</summary>
    public async Task<bool> CanViewOrganizationAsync(Principal principal, long organizationId, CancellationToken cancellationToken)
    {
        if (principal.Kind == PrincipalKind.System)
        {
            return true;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subject = await ResolveAsync(db, principal, cancellationToken);
        return subject is { IsAdmin: true, UserId: not null }
            || await GetMembershipAsync(db, principal, organizationId, cancellationToken) is not null;
    }

    /// <summary>May manage the organization (members, teams, service accounts, settings): owners and system administrators, with full rights (and the system).</summary>
    public async Task<bool> CanManageOrganizationAsync(Principal principal, long organizationId, CancellationToken cancellationToken)
    {
        if (principal.Kind == PrincipalKind.System)
        {
            return true;
        }

        if (principal.Kind != PrincipalKind.User || principal.Scopes is not null)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subject = await ResolveAsync(db, principal, cancellationToken);
        return subject is { IsAdmin: true }
            || await GetMembershipAsync(db, principal, organizationId, cancellationToken) is { IsOwner: true };
    }

    private static async Task<OrganizationMemberEntity?> GetMembershipAsync(DockyardDbContext db, Principal principal, long organizationId, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(db, principal, cancellationToken) is not { UserId: { } userId })
        {
            return null;
        }

        return await db.OrganizationMembers.AsNoTracking()
            .FirstOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == userId, cancellationToken);
    }

    /// <summary>The principal's current account state, or null for anonymous and for inactive or deleted accounts.</summary>
    private static async Task<Subject?> ResolveAsync(DockyardDbContext db, Principal principal, CancellationToken cancellationToken)
    {
        switch (principal.Kind)
        {
            case PrincipalKind.User when principal.UserId is { } userId:
                var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                    .Select(u => new { u.Username, u.IsAdmin, u.IsActive }).FirstOrDefaultAsync(cancellationToken);
                return user is { IsActive: true } ? new Subject(user.IsAdmin, userId, user.Username, null) : null;
            case PrincipalKind.ServiceAccount when principal.ServiceAccountId is { } accountId:
                var account = await db.ServiceAccounts.AsNoTracking().Where(a => a.Id == accountId)
                    .Select(a => new { a.OrganizationId, a.IsActive }).FirstOrDefaultAsync(cancellationToken);
                return account is { IsActive: true } ? new Subject(false, null, null, account.OrganizationId) : null;
            case PrincipalKind.System:
                return new Subject(true, null, null, null);
            default:
                return null;
        }
    }

    private static async Task<RepositoryActions> GetActionsAsync(DockyardDbContext db, Principal principal, Subject? subject, RepositoryName repository, CancellationToken cancellationToken)
    {
        if (principal.IsAuthenticated && subject is null)
        {
            // Deactivated or deleted: not even what anonymous callers get.
            return RepositoryActions.None;
        }

        var entity = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Name == repository.Value, cancellationToken);
        var actions = ToActions(await GetRoleAsync(db, subject, repository, entity, cancellationToken));
        if (entity is { Visibility: RepositoryVisibility.Public })
        {
            actions |= RepositoryActions.Pull;
        }

        if (principal.Scopes is { } scopes)
        {
            var allowedByToken = RepositoryActions.None;
            foreach (var scope in scopes)
            {
                if (RepositoryPattern.Matches(scope.RepositoryPattern, repository.Value))
                {
                    allowedByToken |= scope.Actions;
                }
            }

            actions &= allowedByToken;
        }

        return actions;
    }

    private static async Task<RepositoryRole> GetRoleAsync(DockyardDbContext db, Subject? subject, RepositoryName repository, RepositoryEntity? entity, CancellationToken cancellationToken)
    {
        if (subject is null)
        {
            return RepositoryRole.None;
        }

        if (subject.IsAdmin)
        {
            return RepositoryRole.Admin;
        }

        var ns = repository.Namespace;
        if (subject.ServiceAccountOrganizationId is { } organizationId)
        {
            // Full rights inside its own organization; what it may really do is decided by its token's scopes.
            var organizationName = await db.Organizations.AsNoTracking()
                .Where(o => o.Id == organizationId).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken);
            return organizationName == ns ? RepositoryRole.Admin : RepositoryRole.None;
        }

        if (subject.UserId is not { } userId)
        {
            return RepositoryRole.None;
        }

        if (string.Equals(ns, subject.Username, StringComparison.Ordinal))
        {
            return RepositoryRole.Admin;
        }

        var role = RepositoryRole.None;
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Name == ns, cancellationToken);
        if (organization is not null)
        {
            var membership = await db.OrganizationMembers.AsNoTracking()
                .FirstOrDefaultAsync(m => m.OrganizationId == organization.Id && m.UserId == userId, cancellationToken);
            if (membership is { IsOwner: true })
            {
                return RepositoryRole.Admin;
            }

            if (membership is not null)
            {
                role = organization.DefaultMemberRole;
            }
        }

        if (entity is null)
        {
            return role;
        }

        var name = repository.Value;
        var userGrant = await db.RepositoryPermissions.AsNoTracking()
            .Where(p => p.Repository == name && p.SubjectKind == PermissionSubject.User && p.SubjectId == userId)
            .Select(p => (RepositoryRole?)p.Role).FirstOrDefaultAsync(cancellationToken);
        var teamGrants = await (
            from p in db.RepositoryPermissions.AsNoTracking()
            where p.Repository == name && p.SubjectKind == PermissionSubject.Team
            join m in db.TeamMembers.AsNoTracking() on p.SubjectId equals m.TeamId
            where m.UserId == userId
            select p.Role).ToListAsync(cancellationToken);
        return new[] { role, userGrant ?? RepositoryRole.None }.Concat(teamGrants).Max();
    }

    private static RepositoryActions ToActions(RepositoryRole role) => role switch
    {
        RepositoryRole.Read => RepositoryActions.Pull,
        RepositoryRole.Write => RepositoryActions.Pull | RepositoryActions.Push,
        RepositoryRole.Admin => RepositoryActions.All,
        _ => RepositoryActions.None,
    };

    /// <summary>The account behind a principal, as stored now.</summary>
    private sealed record Subject(bool IsAdmin, long? UserId, string? Username, long? ServiceAccountOrganizationId);
}
