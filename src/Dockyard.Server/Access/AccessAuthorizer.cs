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
/// </summary>
internal sealed class AccessAuthorizer(IDbContextFactory<DockyardDbContext> contexts) : IAccessAuthorizer
{
    public async Task<RepositoryActions> GetRepositoryActionsAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await GetActionsAsync(db, principal, repository, cancellationToken);
    }

    /// <summary>The role a principal holds on a repository, before token scopes (used for repository administration).</summary>
    public async Task<RepositoryRole> GetRepositoryRoleAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Name == repository.Value, cancellationToken);
        return await GetRoleAsync(db, principal, repository, entity, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> FilterPullableAsync(Principal principal, IReadOnlyList<string> repositories, CancellationToken cancellationToken)
    {
        if (principal.IsAdmin && principal.Scopes is null)
        {
            return repositories;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var visible = new List<string>(repositories.Count);
        foreach (var name in repositories)
        {
            if (RepositoryName.TryParse(name, out var repository)
                && (await GetActionsAsync(db, principal, repository, cancellationToken)).HasFlag(RepositoryActions.Pull))
            {
                visible.Add(name);
            }
        }

        return visible;
    }

    private static async Task<RepositoryActions> GetActionsAsync(DockyardDbContext db, Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        var entity = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Name == repository.Value, cancellationToken);
        var actions = ToActions(await GetRoleAsync(db, principal, repository, entity, cancellationToken));
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

    private static async Task<RepositoryRole> GetRoleAsync(DockyardDbContext db, Principal principal, RepositoryName repository, RepositoryEntity? entity, CancellationToken cancellationToken)
    {
        if (principal.IsAdmin)
        {
            return RepositoryRole.Admin;
        }

        var ns = repository.Namespace;
        switch (principal.Kind)
        {
            case PrincipalKind.ServiceAccount:
                // Full rights inside its own organization; what it may really do is decided by its token's scopes.
                var organizationName = await db.Organizations.AsNoTracking()
                    .Where(o => o.Id == principal.OrganizationId).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken);
                return organizationName == ns ? RepositoryRole.Admin : RepositoryRole.None;
            case PrincipalKind.User when principal.UserId is { } userId:
                if (string.Equals(ns, principal.Name, StringComparison.Ordinal))
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
            default:
                return RepositoryRole.None;
        }
    }

    private static RepositoryActions ToActions(RepositoryRole role) => role switch
    {
        RepositoryRole.Read => RepositoryActions.Pull,
        RepositoryRole.Write => RepositoryActions.Pull | RepositoryActions.Push,
        RepositoryRole.Admin => RepositoryActions.All,
        _ => RepositoryActions.None,
    };
}
