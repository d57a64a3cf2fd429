using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Reads behind the permission pages: a team's repository grants and control-plane grants, an organization's
/// repositories, and the names grant forms suggest. It decides nothing: callers show these only to whom the
/// authorizer allows (team grants filtered to the repositories the viewer may pull; suggestions to those who may
/// manage the repository or organization; repositories through the pull rule of every list).
/// </summary>
internal sealed class PermissionOverview(IDbContextFactory<DockyardDbContext> contexts)
{
    /// <summary>At most this many names per suggestion list: a <c>datalist</c> is for small organizations.</summary>
    public const int MaxSuggestions = 200;

    /// <summary>The team's grants on repositories, by repository name.</summary>
    public async Task<IReadOnlyList<TeamRepositoryGrant>> ListTeamGrantsAsync(long teamId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var grants = await db.RepositoryPermissions.AsNoTracking()
            .Where(p => p.SubjectKind == PermissionSubject.Team && p.SubjectId == teamId)
            .Select(p => new { p.Repository, p.Role, p.CreatedAt }).ToListAsync(cancellationToken);
        return [.. grants.OrderBy(g => g.Repository, StringComparer.Ordinal).Select(g => new TeamRepositoryGrant(g.Repository, g.Role, g.CreatedAt))];
    }

    /// <summary>The collection (control-plane) grants to the team, or to its whole organization.</summary>
    public async Task<IReadOnlyList<ControlPlaneGrant>> ListTeamCollectionGrantsAsync(long teamId, long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (team, organization) = (CollectionSubjectKindNames.Team, CollectionSubjectKindNames.Organization);
        var rows = await db.CollectionGrants.AsNoTracking()
            .Where(g => (g.SubjectKind == team && g.SubjectId == teamId) || (g.SubjectKind == organization && g.SubjectId == organizationId))
            .OrderBy(g => g.Collection).ToListAsync(cancellationToken);
        return [.. rows.Select(g => new ControlPlaneGrant(g.SubjectKind, string.Empty, g.Role, g.Collection))];
    }

    /// <summary>
    /// The repositories of organization <paramref name="organization"/> that <paramref name="principal"/> may pull
    /// (the rule of every repository list), with their tag counts.
    /// </summary>
    public async Task<IReadOnlyList<OrganizationRepository>> ListOrganizationRepositoriesAsync(Principal principal, string organization, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var prefix = organization + "/";
        var rows = await (await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken)).PullableAsync(cancellationToken);
        var repositories = await rows.Where(r => r.Name.StartsWith(prefix)).OrderBy(r => r.Name)
            .Select(r => new { r.Name, r.Visibility }).ToListAsync(cancellationToken);
        var names = repositories.Select(r => r.Name).ToList();
        var tags = await db.Tags.AsNoTracking().Where(t => names.Contains(t.Repository))
            .GroupBy(t => t.Repository)
            .Select(g => new { Repository = g.Key, Count = g.Count() })
            .ToDictionaryAsync(t => t.Repository, t => t.Count, cancellationToken);
        return [.. repositories.Select(r => new OrganizationRepository(r.Name, r.Visibility, tags.GetValueOrDefault(r.Name)))];
    }

    /// <summary>
    /// Names to suggest in a grant form for namespace <paramref name="ns"/>: the members, teams (as <c>org/team</c>) and
    /// service accounts (<c>org/name</c>) of the organization of that name; with <paramref name="allUsers"/> (system
    /// administrators, who may list users anyway) every active user. At most <see cref="MaxSuggestions"/> of each.
    /// </summary>
    public async Task<GrantSuggestions> SuggestAsync(string ns, bool allUsers, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await db.Organizations.AsNoTracking().Where(o => o.Name == ns).Select(o => (long?)o.Id).FirstOrDefaultAsync(cancellationToken);
        var users = allUsers
            ? await db.Users.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.Username).Select(u => u.Username).Take(MaxSuggestions).ToListAsync(cancellationToken)
            : organizationId is { } members
                ? await (from m in db.OrganizationMembers.AsNoTracking()
                         where m.OrganizationId == members
                         join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                         where u.IsActive
                         orderby u.Username
                         select u.Username).Take(MaxSuggestions).ToListAsync(cancellationToken)
                : [];
        if (organizationId is not { } id)
        {
            return new GrantSuggestions(users, [], []);
        }

        var teams = await db.Teams.AsNoTracking().Where(t => t.OrganizationId == id).OrderBy(t => t.Name).Select(t => t.Name).Take(MaxSuggestions).ToListAsync(cancellationToken);
        var accounts = await db.ServiceAccounts.AsNoTracking().Where(a => a.OrganizationId == id).OrderBy(a => a.Name).Select(a => a.Name).Take(MaxSuggestions).ToListAsync(cancellationToken);
        return new GrantSuggestions(users, [.. teams.Select(t => $"{ns}/{t}")], [.. accounts.Select(a => $"{ns}/{a}")]);
    }
}
