using System.Linq.Expressions;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// The repositories a principal may pull, as one database query, so lists page and count in SQL instead of asking
/// the authorizer once per repository (1,000 repositories must list in milliseconds). The rules are those of
/// <see cref="AccessAuthorizer"/> for pull; UiVisibilityTests checks the two agree on a world of users, teams,
/// organizations and grants. Actions on a single repository still go through the authorizer.
/// </summary>
internal static class VisibleRepositories
{
    public static async Task<IQueryable<RepositoryEntity>> QueryAsync(DockyardDbContext db, Principal principal, CancellationToken cancellationToken)
    {
        var repositories = db.Repositories.AsNoTracking();
        if (!principal.IsAuthenticated)
        {
            return repositories.Where(r => r.Visibility == RepositoryVisibility.Public);
        }

        // The UI signs in users with full rights only; anything else sees what anonymous callers see, at most.
        if (principal is not { Kind: PrincipalKind.User, UserId: { } userId, Scopes: null })
        {
            return repositories.Where(r => false);
        }

        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Username, u.IsAdmin, u.IsActive }).FirstOrDefaultAsync(cancellationToken);
        if (user is not { IsActive: true })
        {
            return repositories.Where(r => false);
        }

        if (user.IsAdmin)
        {
            return repositories;
        }

        var organizations = await (
            from m in db.OrganizationMembers.AsNoTracking()
            where m.UserId == userId
            join o in db.Organizations.AsNoTracking() on m.OrganizationId equals o.Id
            select new { o.Name, m.IsOwner, o.DefaultMemberRole }).ToListAsync(cancellationToken);

        Expression<Func<RepositoryEntity, bool>> predicate = r =>
            r.Visibility == RepositoryVisibility.Public
            || db.RepositoryPermissions.Any(p =>
                p.Repository == r.Name
                && p.Role != RepositoryRole.None
                && ((p.SubjectKind == PermissionSubject.User && p.SubjectId == userId)
                    || (p.SubjectKind == PermissionSubject.Team && db.TeamMembers.Any(m => m.TeamId == p.SubjectId && m.UserId == userId))));

        // Whole namespaces: the user's own, and organizations they own or whose members get at least read.
        var namespaces = organizations.Where(o => o.IsOwner || o.DefaultMemberRole != RepositoryRole.None).Select(o => o.Name).Prepend(user.Username);
        foreach (var ns in namespaces.Distinct(StringComparer.Ordinal))
        {
            var prefix = ns + "/";
            predicate = predicate.Or(r => r.Name == ns || r.Name.StartsWith(prefix));
        }

        return repositories.Where(predicate);
    }
}
