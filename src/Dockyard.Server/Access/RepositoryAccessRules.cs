using System.Linq.Expressions;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Access;

/// <summary>
/// The repository rules of docs/security.md, written once for one resolved principal as query predicates, so that
/// the single decision (<see cref="AccessAuthorizer"/>: the predicate applied to one repository row) and every list
/// (<c>/v2/_catalog</c>, the UI's repository pages: the predicate as a WHERE clause) agree by construction.
/// <list type="bullet">
/// <item>A principal's role on an existing repository is the highest of: its namespace role (administrators
/// everything; a user their own namespace; organization owners theirs; members the organization's default member
/// role; service accounts their organization) and the user's own and their teams' grants on that repository.</item>
/// <item>Pull is that role at least <c>read</c>, or the repository is public.</item>
/// <item>A repository that does not exist yet has only its namespace role (<see cref="NamespaceRole"/>).</item>
/// <item>Token scopes narrow the result per repository name (<see cref="ScopeLimit"/>); globs are not SQL, so lists
/// apply them in memory after the predicate.</item>
/// </list>
/// Anonymous callers get public repositories; deactivated or deleted accounts nothing at all. The predicates
/// reference the sets of the context they were resolved with, so use them only in queries on that context.
/// </summary>
internal sealed class RepositoryAccessRules
{
    private static readonly Expression<Func<RepositoryEntity, bool>> Nothing = r => false;
    private static readonly Expression<Func<RepositoryEntity, bool>> Everything = r => true;
    private static readonly Expression<Func<RepositoryEntity, bool>> IsPublic = r => r.Visibility == RepositoryVisibility.Public;

    private readonly DockyardDbContext _db;
    private readonly Dictionary<string, RepositoryRole> _namespaces = new(StringComparer.Ordinal);

    // The rules behind each namespace role, for the explanation (AccessAuthorizer.ExplainRepositoryAccessAsync).
    private readonly List<(string Namespace, RepositoryAccessSource Source)> _namespaceSources = [];

    // Rows already evaluated: several decisions on one repository (a batch, pull then administer) cost one query.
    private readonly Dictionary<string, RepositoryAccessRow?> _rows = new(StringComparer.Ordinal);

    private RepositoryAccessRules(DockyardDbContext db, Principal principal, AccessSubject? subject)
    {
        _db = db;
        Principal = principal;
        Subject = subject;
        if (subject is { Username: { } username })
        {
            AddNamespaceRole(username, new RepositoryAccessSource(RepositoryAccessSourceKind.OwnNamespace, username, RepositoryRole.Admin));
        }

        if (subject?.ServiceAccountOrganization is { } organization)
        {
            // Full rights inside its own organization; what it may really do is decided by its token's scopes.
            AddNamespaceRole(organization.Name, new RepositoryAccessSource(RepositoryAccessSourceKind.ServiceAccountOrganization, organization.Name, RepositoryRole.Admin));
        }

        foreach (var membership in subject?.Organizations ?? [])
        {
            AddNamespaceRole(membership.Name, membership.IsOwner
                ? new RepositoryAccessSource(RepositoryAccessSourceKind.OrganizationOwner, membership.Name, RepositoryRole.Admin)
                : new RepositoryAccessSource(RepositoryAccessSourceKind.OrganizationMember, membership.Name, membership.DefaultMemberRole));
        }
    }

    public Principal Principal { get; }

    /// <summary>The account as stored now; null for anonymous callers and inactive accounts.</summary>
    public AccessSubject? Subject { get; }

    /// <summary>An authenticated principal whose account is gone or deactivated: not even what anonymous callers get.</summary>
    public bool IsLockedOut => Principal.IsAuthenticated && Subject is null;

    /// <summary>Which repositories the principal may pull, token scopes aside: for queries on one or a few rows.</summary>
    public Expression<Func<RepositoryEntity, bool>> Pull => IsLockedOut ? Nothing : Or(IsPublic, RoleAtLeast(RepositoryRole.Read, scan: false));

    /// <summary>
    /// <see cref="Pull"/> spelled for queries that test every row (lists with counts, search): the same rules, with
    /// the namespaces' repositories as one set (see <see cref="RoleAtLeast(RepositoryRole, bool)"/>).
    /// </summary>
    public Expression<Func<RepositoryEntity, bool>> PullScan => IsLockedOut ? Nothing : Or(IsPublic, RoleAtLeast(RepositoryRole.Read, scan: true));

    public static async Task<RepositoryAccessRules> ResolveAsync(DockyardDbContext db, Principal principal, CancellationToken cancellationToken) =>
        new(db, principal, await AccessSubject.ResolveAsync(db, principal, cancellationToken));

    /// <summary>The role the principal holds on every repository of <paramref name="ns"/> (the only role for repositories not pushed yet).</summary>
    public RepositoryRole NamespaceRole(string ns) => Subject switch
    {
        null => RepositoryRole.None,
        { IsAdmin: true } => RepositoryRole.Admin,
        _ => _namespaces.GetValueOrDefault(ns),
    };

    /// <summary>
    /// The rules that make up <see cref="NamespaceRole"/> for <paramref name="ns"/> (the role is the highest of them):
    /// system administrator, own namespace, organization owner or member, service account of the organization.
    /// </summary>
    public IReadOnlyList<RepositoryAccessSource> NamespaceSources(string ns) => Subject switch
    {
        null => [],
        { IsAdmin: true } => [new RepositoryAccessSource(RepositoryAccessSourceKind.SystemAdministrator, Principal.Name, RepositoryRole.Admin), .. Sources(ns)],
        _ => Sources(ns),
    };

    /// <summary>
    /// The user's own and their teams' grants on <paramref name="repository"/>: the rows the <see cref="RoleAtLeast(RepositoryRole)"/>
    /// predicate looks for (a user grant, or a team grant of a team the user is in), with the team's name.
    /// </summary>
    public async Task<IReadOnlyList<RepositoryAccessSource>> GrantSourcesAsync(string repository, CancellationToken cancellationToken)
    {
        if (Subject is not { UserId: { } userId, Username: { } username })
        {
            return [];
        }

        var db = _db;
        var users = await db.RepositoryPermissions.AsNoTracking()
            .Where(p => p.Repository == repository && p.SubjectKind == PermissionSubject.User && p.SubjectId == userId)
            .Select(p => p.Role).ToListAsync(cancellationToken);
        var teams = await (
            from p in db.RepositoryPermissions.AsNoTracking()
            where p.Repository == repository && p.SubjectKind == PermissionSubject.Team && db.TeamMembers.Any(m => m.TeamId == p.SubjectId && m.UserId == userId)
            join t in db.Teams.AsNoTracking() on p.SubjectId equals t.Id
            select new { t.Name, p.Role }).ToListAsync(cancellationToken);
        return
        [
            .. users.Select(role => new RepositoryAccessSource(RepositoryAccessSourceKind.UserGrant, username, role)),
            .. teams.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new RepositoryAccessSource(RepositoryAccessSourceKind.TeamGrant, t.Name, t.Role)),
        ];
    }

    /// <summary>Which repositories the principal holds at least <paramref name="minimum"/> on (a role above <c>none</c>).</summary>
    public Expression<Func<RepositoryEntity, bool>> RoleAtLeast(RepositoryRole minimum) => RoleAtLeast(minimum, scan: false);

    /// <summary>
    /// As <see cref="RoleAtLeast(RepositoryRole)"/>. The namespace rules are name ranges either way; <paramref name="scan"/>
    /// only changes how the query tests them.
    /// </summary>
    /// <remarks>
    /// Inline, each row is compared with every range: cheapest for one row (the single decision), but a member of 100
    /// organizations costs 200 comparisons per row, and a query that tests many rows paid that on each. Counting the
    /// 10,000 visible repositories of 100,000 took 485 ms on SQLite, and a common search word 32 ms. As a set, the ranges
    /// are read once through the name index into <c>name IN (…)</c>, one lookup per row: 15 ms for that count and 15 ms
    /// for that search word (bench/search.sh's installation).
    /// </remarks>
    private Expression<Func<RepositoryEntity, bool>> RoleAtLeast(RepositoryRole minimum, bool scan)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(minimum, RepositoryRole.None);
        if (Subject is null)
        {
            return Nothing;
        }

        if (Subject.IsAdmin)
        {
            return Everything;
        }

        var predicate = Subject.UserId is { } userId ? Granted(userId, minimum) : Nothing;
        var inNamespaces = Nothing;
        foreach (var (ns, role) in _namespaces)
        {
            if (role >= minimum)
            {
                // "ns/" <= name < "ns0" ('0' follows '/') is every name under ns/, as a range on the name's index
                // (names compare byte-wise on both providers); LIKE 'ns/%' was evaluated row by row instead.
                var first = ns + "/";
                var after = ns + "0";
                inNamespaces = Or(inNamespaces, r => r.Name == ns || (string.Compare(r.Name, first) >= 0 && string.Compare(r.Name, after) < 0));
            }
        }

        if (inNamespaces == Nothing)
        {
            return predicate;
        }

        if (!scan)
        {
            return Or(predicate, inNamespaces);
        }

        var names = _db.Repositories.Where(inNamespaces).Select(r => r.Name);
        return Or(predicate, r => names.Contains(r.Name));
    }

    /// <summary>The most a principal's token scopes allow on <paramref name="repository"/> (everything without scopes).</summary>
    public RepositoryActions ScopeLimit(string repository)
    {
        if (Principal.Scopes is not { } scopes)
        {
            return RepositoryActions.All;
        }

        var allowed = RepositoryActions.None;
        foreach (var scope in scopes)
        {
            if (RepositoryPattern.Matches(scope.RepositoryPattern, repository))
            {
                allowed |= scope.Actions;
            }
        }

        return allowed;
    }

    /// <summary>
    /// Every repository the principal may pull, token scopes applied, as a query to page and count in SQL. Scoped
    /// principals (rare on lists) pay one extra query: the predicate's names, filtered by the globs in memory.
    /// </summary>
    public async Task<IQueryable<RepositoryEntity>> PullableAsync(CancellationToken cancellationToken)
    {
        var pullable = _db.Repositories.AsNoTracking().Where(PullScan);
        if (Principal.Scopes is null)
        {
            return pullable;
        }

        var names = await pullable.Select(r => r.Name).ToListAsync(cancellationToken);
        var allowed = names.Where(n => ScopeLimit(n).HasFlag(RepositoryActions.Pull)).ToList();
        return _db.Repositories.AsNoTracking().Where(r => allowed.Contains(r.Name));
    }

    /// <summary>
    /// The single decision on an existing repository: the same predicates as the lists, evaluated in one query on
    /// its row. Null when the repository does not exist (then only <see cref="NamespaceRole"/> applies).
    /// </summary>
    public async Task<RepositoryAccessRow?> EvaluateAsync(string repository, CancellationToken cancellationToken)
    {
        if (!_rows.TryGetValue(repository, out var evaluated))
        {
            _rows[repository] = evaluated = await QueryRowAsync(repository, cancellationToken);
        }

        return evaluated;
    }

    private async Task<RepositoryAccessRow?> QueryRowAsync(string repository, CancellationToken cancellationToken)
    {
        var row = Expression.Parameter(typeof(RepositoryEntity), "r");
        var projection = Expression.Lambda<Func<RepositoryEntity, RepositoryAccessRow>>(
            Expression.MemberInit(
                Expression.New(typeof(RepositoryAccessRow)),
                Bind(nameof(RepositoryAccessRow.Pull), Pull),
                Bind(nameof(RepositoryAccessRow.Read), RoleAtLeast(RepositoryRole.Read)),
                Bind(nameof(RepositoryAccessRow.Write), RoleAtLeast(RepositoryRole.Write)),
                Bind(nameof(RepositoryAccessRow.Admin), RoleAtLeast(RepositoryRole.Admin))),
            row);
        return await _db.Repositories.AsNoTracking().Where(r => r.Name == repository).Select(projection).FirstOrDefaultAsync(cancellationToken);

        MemberBinding Bind(string property, Expression<Func<RepositoryEntity, bool>> predicate) =>
            Expression.Bind(
                typeof(RepositoryAccessRow).GetProperty(property)!,
                new ParameterReplacer(predicate.Parameters[0], row).Visit(predicate.Body));
    }

    /// <summary>The user's own or one of their teams' grants on the repository reach <paramref name="minimum"/>.</summary>
    /// <remarks>
    /// Written as <c>name IN (granted names)</c>, not as a correlated EXISTS per repository row: the granted names are
    /// found once through the grants' subject index and each is an index lookup on the repositories' key.
    /// </remarks>
    private Expression<Func<RepositoryEntity, bool>> Granted(long userId, RepositoryRole minimum)
    {
        // Roles are stored as text, so "at least" is spelled as the roles it admits, not as a comparison.
        var db = _db;
        var admitted = minimum switch
        {
            RepositoryRole.Read => db.RepositoryPermissions.Where(p => p.Role == RepositoryRole.Read || p.Role == RepositoryRole.Write || p.Role == RepositoryRole.Admin),
            RepositoryRole.Write => db.RepositoryPermissions.Where(p => p.Role == RepositoryRole.Write || p.Role == RepositoryRole.Admin),
            _ => db.RepositoryPermissions.Where(p => p.Role == RepositoryRole.Admin),
        };
        var granted = admitted
            .Where(p => (p.SubjectKind == PermissionSubject.User && p.SubjectId == userId)
                || (p.SubjectKind == PermissionSubject.Team && db.TeamMembers.Any(m => m.TeamId == p.SubjectId && m.UserId == userId)))
            .Select(p => p.Repository);
        return r => granted.Contains(r.Name);
    }

    private void AddNamespaceRole(string ns, RepositoryAccessSource source)
    {
        _namespaces[ns] = (RepositoryRole)Math.Max((int)source.Role, (int)_namespaces.GetValueOrDefault(ns));
        _namespaceSources.Add((ns, source));
    }

    private List<RepositoryAccessSource> Sources(string ns) => [.. _namespaceSources.Where(s => s.Namespace == ns).Select(s => s.Source)];

    private static Expression<Func<RepositoryEntity, bool>> Or(Expression<Func<RepositoryEntity, bool>> left, Expression<Func<RepositoryEntity, bool>> right)
    {
        if (left == Nothing)
        {
            return right;
        }

        var parameter = left.Parameters[0];
        var rightBody = new ParameterReplacer(right.Parameters[0], parameter).Visit(right.Body);
        return Expression.Lambda<Func<RepositoryEntity, bool>>(Expression.OrElse(left.Body, rightBody), parameter);
    }
}
