using Dockyard.Registry;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Access;

/// <summary>
/// The permission model (see docs/security.md), one entry point for every resource kind:
/// <see cref="DecideAsync(Principal, Operation, Resource, CancellationToken)"/>. System administrators may do
/// everything; a user owns the namespace named after them; organization owners administer every repository of their
/// organization; organization members get the organization's default member role; users and teams get roles per
/// repository; public repositories can be pulled by anyone; service accounts act only inside their organization and
/// only as far as their token's scopes allow. Any access token's scopes narrow the result, never widen it. Repository
/// rules live in <see cref="RepositoryAccessRules"/> (shared with every repository list); control-plane resources are
/// decided by collection grants (<see cref="CollectionAccess"/>).
/// <para>
/// The account state is read from the database on every decision, not from the principal: a deactivated user
/// or service account gets nothing (even with a still-valid token), and the administrator flag is current.
/// Management rights (administer a repository, manage an organization, system administration) need a user's full
/// rights: service accounts never administer, and a token with scopes (which speak only of pull, push, delete)
/// never carries management rights — not even over its owner's account (password, tokens, sessions).
/// </para>
/// </summary>
internal sealed partial class AccessAuthorizer(IDbContextFactory<DockyardDbContext> contexts, ICollectionGrantSource collectionGrants) : IAccessAuthorizer
{
    public async Task<bool> MayAsync(Principal principal, Operation operation, Resource resource, CancellationToken cancellationToken) =>
        (await DecideAsync(principal, operation, resource, cancellationToken)).Allowed;

    public async Task<Decision> DecideAsync(Principal principal, Operation operation, Resource resource, CancellationToken cancellationToken)
    {
        if (!OperationKinds.AppliesTo(operation, resource.Kind))
        {
            return Decision.Deny($"{operation} does not apply to a {resource.Kind}");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken);
        return await DecideAsync(db, rules, operation, resource, cancellationToken);
    }

    /// <summary>
    /// Several questions about one principal, its account read once and each repository's row once: the same rules as
    /// <see cref="DecideAsync(Principal, Operation, Resource, CancellationToken)"/>, answer for answer (for pages that
    /// show many rights at once, and the property tests).
    /// </summary>
    public async Task<IReadOnlyList<Decision>> DecideAllAsync(Principal principal, IReadOnlyList<(Operation Operation, Resource Resource)> questions, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken);
        var decisions = new List<Decision>(questions.Count);
        foreach (var (operation, resource) in questions)
        {
            decisions.Add(await DecideAsync(db, rules, operation, resource, cancellationToken));
        }

        return decisions;
    }

    public async Task<RepositoryActions> GetRepositoryActionsAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken);
        return await ActionsAsync(rules, repository, cancellationToken);
    }

    /// <summary>The role a principal holds on a repository, before token scopes (used for repository administration).</summary>
    public async Task<RepositoryRole> GetRepositoryRoleAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken);
        return await RoleAsync(rules, repository, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> FilterPullableAsync(Principal principal, IReadOnlyList<string> repositories, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken);
        if (rules.IsLockedOut)
        {
            return [];
        }

        // Existing repositories: the list predicate, in one query. Others: only their namespace's role applies.
        var names = repositories.Distinct(StringComparer.Ordinal).ToList();
        var existing = await db.Repositories.AsNoTracking().Where(r => names.Contains(r.Name)).Select(r => r.Name).ToListAsync(cancellationToken);
        var pullable = await db.Repositories.AsNoTracking().Where(r => names.Contains(r.Name)).Where(rules.Pull).Select(r => r.Name).ToListAsync(cancellationToken);
        var existingSet = existing.ToHashSet(StringComparer.Ordinal);
        var pullableSet = pullable.ToHashSet(StringComparer.Ordinal);
        return [.. repositories.Where(name =>
            RepositoryName.TryParse(name, out var parsed)
            && (existingSet.Contains(name) ? pullableSet.Contains(name) : rules.NamespaceRole(parsed.Namespace) >= RepositoryRole.Read)
            && rules.ScopeLimit(name).HasFlag(RepositoryActions.Pull))];
    }

    public async Task<PullableBatch> ListPullableAsync(Principal principal, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken);
        // The inline form: the catalog walks names in order and stops after a page, so it tests few rows when most are
        // visible; the set form would read every repository of the caller's namespaces for each page.
        var query = db.Repositories.AsNoTracking().Where(rules.Pull);
        if (after is not null)
        {
            query = query.Where(r => r.Name.CompareTo(after) > 0);
        }

        var scanned = await query.OrderBy(r => r.Name).Select(r => r.Name).Take(limit).ToListAsync(cancellationToken);
        return new PullableBatch(
            [.. scanned.Where(n => rules.ScopeLimit(n).HasFlag(RepositoryActions.Pull))],
            scanned.Count,
            scanned.Count > 0 ? scanned[^1] : after);
    }

    /// <summary>Which audit entries the principal may read: the whole trail, or the organizations whose entries it may read.</summary>
    public async Task<AuditReadScope> GetAuditReadScopeAsync(Principal principal, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken);
        if ((await DecideAsync(db, rules, Operation.AuditRead, Resource.WholeAudit, cancellationToken)).Allowed)
        {
            return AuditReadScope.All;
        }

        // Only a member can be allowed one organization's entries: its memberships are the candidates.
        var names = new List<string>();
        foreach (var membership in rules.Subject?.Organizations ?? [])
        {
            if ((await DecideAsync(db, rules, Operation.AuditRead, Resource.AuditOf(membership.OrganizationId), cancellationToken)).Allowed)
            {
                names.Add(membership.Name);
            }
        }

        return new AuditReadScope(false, names);
    }

    /// <summary>An active system administrator acting with full rights (not through a scoped token).</summary>
    public Task<bool> IsSystemAdministratorAsync(Principal principal, CancellationToken cancellationToken) =>
        MayAsync(principal, Operation.SystemAdminister, Resource.System, cancellationToken);

    /// <summary>May change the repository's settings and permissions (and delete it): the admin role, with a user's full rights.</summary>
    public Task<bool> CanAdministerRepositoryAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken) =>
        MayAsync(principal, Operation.RepositoryAdminister, Resource.ForRepository(repository), cancellationToken);

    /// <summary>An active user who is a member (owner or not) of the organization.</summary>
    public async Task<bool> IsOrganizationMemberAsync(Principal principal, long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await AccessSubject.ResolveAsync(db, principal, cancellationToken))?.MembershipOf(organizationId) is not null;
    }

    /// <summary>May see the organization, its members and teams: members and system administrators.</summary>
    public Task<bool> CanViewOrganizationAsync(Principal principal, long organizationId, CancellationToken cancellationToken) =>
        MayAsync(principal, Operation.OrganizationView, Resource.ForOrganization(organizationId), cancellationToken);

    /// <summary>May manage the organization (members, teams, service accounts, settings): owners and system administrators, with full rights.</summary>
    public Task<bool> CanManageOrganizationAsync(Principal principal, long organizationId, CancellationToken cancellationToken) =>
        MayAsync(principal, Operation.OrganizationManage, Resource.ForOrganization(organizationId), cancellationToken);

    private static async Task<RepositoryActions> ActionsAsync(RepositoryAccessRules rules, RepositoryName repository, CancellationToken cancellationToken)
    {
        if (rules.IsLockedOut)
        {
            // Deactivated or deleted: not even what anonymous callers get.
            return RepositoryActions.None;
        }

        var actions = await rules.EvaluateAsync(repository.Value, cancellationToken) is { } row
            ? (row.Pull ? RepositoryActions.Pull : RepositoryActions.None)
                | (row.Write ? RepositoryActions.Push : RepositoryActions.None)
                | (row.Admin ? RepositoryActions.Delete : RepositoryActions.None)
            : ToActions(rules.NamespaceRole(repository.Namespace));
        return actions & rules.ScopeLimit(repository.Value);
    }

    private static async Task<RepositoryRole> RoleAsync(RepositoryAccessRules rules, RepositoryName repository, CancellationToken cancellationToken) =>
        await rules.EvaluateAsync(repository.Value, cancellationToken) is { } row ? row.Role : rules.NamespaceRole(repository.Namespace);

    /// <summary>The repository actions a role brings.</summary>
    internal static RepositoryActions ToActions(RepositoryRole role) => role switch
    {
        RepositoryRole.Read => RepositoryActions.Pull,
        RepositoryRole.Write => RepositoryActions.Pull | RepositoryActions.Push,
        RepositoryRole.Admin => RepositoryActions.All,
        _ => RepositoryActions.None,
    };
}
