using Dockyard.Registry;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Access;

/// <summary>
/// The "effective permissions" explanation: the authorizer's own decisions on one repository for a named account, with
/// the rules behind them. The result comes from the same methods every decision uses (never a second implementation);
/// the contributing rules come from <see cref="RepositoryAccessRules"/>, which builds the namespace roles from them.
/// </summary>
internal sealed partial class AccessAuthorizer
{
    /// <summary>
    /// The principal of the account named <paramref name="name"/> acting with its full rights: a user (active or not) by
    /// username, or a service account as <c>org/name</c> (without a token, so no scopes narrow it); null when none exists.
    /// </summary>
    public async Task<Principal?> FindAccountPrincipalAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Username == name).Select(u => new { u.Id, u.Username, u.IsAdmin }).FirstOrDefaultAsync(cancellationToken);
            return user is null ? null : new Principal { Kind = PrincipalKind.User, UserId = user.Id, Name = user.Username, IsAdmin = user.IsAdmin, AuthMethod = AuthMethods.Password };
        }

        var (organization, account) = (name[..slash], name[(slash + 1)..]);
        var found = await (
            from a in db.ServiceAccounts.AsNoTracking()
            join o in db.Organizations.AsNoTracking() on a.OrganizationId equals o.Id
            where o.Name == organization && a.Name == account
            select new { a.Id, a.OrganizationId }).FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : new Principal
        {
            Kind = PrincipalKind.ServiceAccount, ServiceAccountId = found.Id, OrganizationId = found.OrganizationId, Name = name, AuthMethod = AuthMethods.AccessToken,
        };
    }

    /// <summary>
    /// What <paramref name="principal"/> may do on <paramref name="repository"/> and why: the decisions of
    /// <see cref="DecideAsync(Principal, Operation, Resource, CancellationToken)"/> (the registry's own), the role and
    /// actions of <see cref="GetRepositoryRoleAsync"/> and <see cref="GetRepositoryActionsAsync"/>, and every rule that
    /// contributes (namespace roles, user and team grants, public visibility), plus the control-plane grants reaching it.
    /// </summary>
    public async Task<RepositoryAccessExplanation> ExplainRepositoryAccessAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken);
        var resource = Resource.ForRepository(repository);
        var decisions = new Dictionary<Operation, Decision>();
        foreach (var operation in RepositoryAccessExplanation.Operations)
        {
            decisions[operation] = await DecideAsync(db, rules, operation, resource, cancellationToken);
        }

        var row = await db.Repositories.AsNoTracking().Where(r => r.Name == repository.Value).Select(r => new { r.Visibility }).FirstOrDefaultAsync(cancellationToken);
        var sources = new List<RepositoryAccessSource>();
        if (!rules.IsLockedOut)
        {
            sources.AddRange(rules.NamespaceSources(repository.Namespace));
            if (row is not null)
            {
                sources.AddRange(await rules.GrantSourcesAsync(repository.Value, cancellationToken));
                if (row.Visibility == RepositoryVisibility.Public)
                {
                    sources.Add(new RepositoryAccessSource(RepositoryAccessSourceKind.PublicVisibility, repository.Value, RepositoryRole.Read));
                }
            }
        }

        return new RepositoryAccessExplanation
        {
            Principal = principal,
            IsActive = !rules.IsLockedOut,
            RepositoryExists = row is not null,
            Role = rules.IsLockedOut ? RepositoryRole.None : await RoleAsync(rules, repository, cancellationToken),
            Actions = await ActionsAsync(rules, repository, cancellationToken),
            Decisions = decisions,
            Sources = [.. sources.OrderByDescending(s => s.Role).ThenBy(s => s.Kind)],
            ControlPlaneGrants = await ControlPlaneGrantsAsync(db, principal.Name, rules.Subject, cancellationToken),
        };
    }

    /// <summary>The collection grants naming the subject, a team it is in or an organization it belongs to.</summary>
    private static async Task<IReadOnlyList<ControlPlaneGrant>> ControlPlaneGrantsAsync(DockyardDbContext db, string name, AccessSubject? subject, CancellationToken cancellationToken)
    {
        if (subject is null)
        {
            return [];
        }

        var teams = subject.UserId is { } userId
            ? await (from m in db.TeamMembers.AsNoTracking()
                     where m.UserId == userId
                     join t in db.Teams.AsNoTracking() on m.TeamId equals t.Id
                     join o in db.Organizations.AsNoTracking() on t.OrganizationId equals o.Id
                     select new { t.Id, Name = o.Name + "/" + t.Name }).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken)
            : new Dictionary<long, string>();
        // Organization grants reach members only (as CollectionAccess counts them): a service account is in none.
        var organizations = subject.Organizations.ToDictionary(m => m.OrganizationId, m => m.Name);
        var (user, team, organization, account) = (CollectionSubjectKindNames.User, CollectionSubjectKindNames.Team, CollectionSubjectKindNames.Organization, CollectionSubjectKindNames.ServiceAccount);
        var (ownId, accountId, teamIds, organizationIds) = (subject.UserId ?? -1, subject.ServiceAccountId ?? -1, teams.Keys.ToList(), organizations.Keys.ToList());
        var rows = await db.CollectionGrants.AsNoTracking()
            .Where(g => (g.SubjectKind == user && g.SubjectId == ownId)
                || (g.SubjectKind == account && g.SubjectId == accountId)
                || (g.SubjectKind == team && teamIds.Contains(g.SubjectId))
                || (g.SubjectKind == organization && organizationIds.Contains(g.SubjectId)))
            .OrderBy(g => g.Collection).ToListAsync(cancellationToken);
        return [.. rows.Select(g => new ControlPlaneGrant(
            g.SubjectKind,
            g.SubjectKind == team ? teams.GetValueOrDefault(g.SubjectId, "?")
                : g.SubjectKind == organization ? organizations.GetValueOrDefault(g.SubjectId, "?")
                : name,
            g.Role,
            g.Collection))];
    }
}
