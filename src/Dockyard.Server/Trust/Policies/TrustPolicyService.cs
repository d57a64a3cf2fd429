using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Dockyard.Server.Policies;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Trust.Policies;

/// <summary>
/// Signature policies of an organization (<c>trust_policies</c>, <c>trust_policy_teams</c>). Changes take the
/// <see cref="Caller"/>, are authorized here (owners and system administrators: <see cref="PolicyAccessRules"/>),
/// recorded here (<see cref="AuditedOperations"/>) and invalidate <see cref="TrustPolicyCache"/> so deploys and pulls
/// see them at once.
/// </summary>
internal sealed class TrustPolicyService(
    IDbContextFactory<DockyardDbContext> contexts, TrustPolicyCache cache, TimeProvider time, PolicyAccessRules organizations, AuditedOperations audited)
{
    /// <summary>Most policies one organization may have: each is matched on every deploy and every checked pull.</summary>
    public const int MaxPoliciesPerOrganization = 50;

    /// <summary>Most teams one policy may require.</summary>
    public const int MaxTeams = 20;

    public async Task<IReadOnlyList<TrustPolicyView>> ListAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var policies = await db.TrustPolicies.AsNoTracking().Where(p => p.OrganizationId == organizationId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return await ViewsAsync(db, policies, cancellationToken);
    }

    /// <summary>Adds a policy to <paramref name="organization"/>; a null <paramref name="input"/> (no body) is refused as invalid once the caller is authorized.</summary>
    public Task<TrustPolicyView> CreateAsync(Caller caller, string organization, TrustPolicyInput? input, CancellationToken cancellationToken)
    {
        long organizationId = 0;
        var target = PolicyTarget.ForOrganization(organization);
        return audited.RunAsync(
            caller,
            Fields(target.Action(AuditActions.TrustPolicyCreate, "trust-policies"), input),
            async token =>
            {
                var (found, decision) = await organizations.OrganizationAsync(caller.Principal, organization, PolicyKind.Signature, token);
                organizationId = found.Id;
                return decision;
            },
            token => SaveAsync(organizationId, organization, null, Require(input), caller.Principal.Name, token),
            cancellationToken,
            policy => $"{target.Resource}/trust-policies/{policy.Id}");
    }

    /// <summary>Replaces policy <paramref name="id"/> of <paramref name="organization"/> with <paramref name="input"/>.</summary>
    public Task<TrustPolicyView> UpdateAsync(Caller caller, string organization, long id, TrustPolicyInput? input, CancellationToken cancellationToken)
    {
        long organizationId = 0;
        var target = PolicyTarget.ForOrganization(organization);
        return audited.RunAsync(
            caller,
            Fields(target.Action(AuditActions.TrustPolicyUpdate, $"trust-policies/{id}"), input),
            async token =>
            {
                var (found, decision) = await organizations.OrganizationAsync(caller.Principal, organization, PolicyKind.Signature, token);
                organizationId = found.Id;
                return decision;
            },
            token => SaveAsync(organizationId, organization, id, Require(input), caller.Principal.Name, token),
            cancellationToken);
    }

    /// <summary>Deletes policy <paramref name="id"/> of <paramref name="organization"/>.</summary>
    public Task DeleteAsync(Caller caller, string organization, long id, CancellationToken cancellationToken)
    {
        long organizationId = 0;
        return audited.RunAsync(
            caller,
            PolicyTarget.ForOrganization(organization).Action(AuditActions.TrustPolicyDelete, $"trust-policies/{id}"),
            async token =>
            {
                var (found, decision) = await organizations.OrganizationAsync(caller.Principal, organization, PolicyKind.Signature, token);
                organizationId = found.Id;
                return decision;
            },
            async token =>
            {
                await using var db = await contexts.CreateDbContextAsync(token);
                await using var transaction = await db.Database.BeginTransactionAsync(token);
                if (!await db.TrustPolicies.AnyAsync(p => p.Id == id && p.OrganizationId == organizationId, token))
                {
                    throw DomainException.NotFound($"No signature policy {id} in organization {organization}.");
                }

                await db.TrustPolicyTeams.Where(t => t.PolicyId == id).ExecuteDeleteAsync(token);
                await db.TrustPolicies.Where(p => p.Id == id).ExecuteDeleteAsync(token);
                await transaction.CommitAsync(token);
                cache.Invalidate();
            },
            cancellationToken);
    }

    private static TrustPolicyInput Require(TrustPolicyInput? input) =>
        input ?? throw DomainException.Invalid("request", "Send a JSON body: {\"mode\": \"teams\", \"teams\": [\"security\"], \"enforceDeploy\": true}.");

    private static AuditedAction Fields(AuditedAction action, TrustPolicyInput? input) => input is null
        ? action
        : action.WithFields(
            ("repositoryPattern", input.RepositoryPattern),
            ("mode", input.Mode),
            ("teams", input.Teams is null ? null : string.Join(",", input.Teams)),
            ("enforceDeploy", input.EnforceDeploy),
            ("enforcePull", input.EnforcePull),
            ("pullPrincipalKinds", input.PullPrincipalKinds is null ? null : string.Join(",", input.PullPrincipalKinds)));

    private async Task<TrustPolicyView> SaveAsync(long organizationId, string organization, long? id, TrustPolicyInput input, string createdBy, CancellationToken cancellationToken)
    {
        var pattern = string.IsNullOrWhiteSpace(input.RepositoryPattern) ? null : input.RepositoryPattern.Trim();
        if (pattern is not null)
        {
            ImmutabilityRuleService.ValidateRepositoryPattern(organization, pattern);
        }

        var mode = (input.Mode ?? (input.Teams is { Count: > 0 } ? TrustPolicyView.TeamsMode : TrustPolicyView.AnyMode)).Trim().ToLowerInvariant();
        if (mode is not (TrustPolicyView.AnyMode or TrustPolicyView.TeamsMode))
        {
            throw DomainException.Invalid("mode", "The mode is \"any\" (any trusted key of the organization or its teams) or \"teams\" (a key of each listed team).");
        }

        var requested = (input.Teams ?? []).Select(t => (t ?? string.Empty).Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (mode == TrustPolicyView.AnyMode && requested.Count > 0)
        {
            throw DomainException.Invalid("teams", "Teams are listed only with mode \"teams\".");
        }

        if (mode == TrustPolicyView.TeamsMode && requested.Count is 0 or > MaxTeams)
        {
            throw DomainException.Invalid("teams", $"Mode \"teams\" needs 1 to {MaxTeams} teams (\"team\" of {organization} or \"org/team\").");
        }

        if (!input.EnforceDeploy && !input.EnforcePull)
        {
            throw DomainException.Invalid("enforceDeploy", "A policy enforces at deploy, at pull, or both: set enforceDeploy or enforcePull.");
        }

        var kinds = TrustPrincipalKinds.Parse(input.PullPrincipalKinds);
        if (kinds is not null && !input.EnforcePull)
        {
            throw DomainException.Invalid("pullPrincipalKinds", "Principal kinds narrow the pull rule: set enforcePull too.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var teamIds = await ResolveTeamsAsync(db, organization, requested, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        TrustPolicyEntity policy;
        if (id is { } existing)
        {
            policy = await db.TrustPolicies.SingleOrDefaultAsync(p => p.Id == existing && p.OrganizationId == organizationId, cancellationToken)
                ?? throw DomainException.NotFound($"No signature policy {existing} in organization {organization}.");
            await db.TrustPolicyTeams.Where(t => t.PolicyId == existing).ExecuteDeleteAsync(cancellationToken);
        }
        else
        {
            if (await db.TrustPolicies.CountAsync(p => p.OrganizationId == organizationId, cancellationToken) >= MaxPoliciesPerOrganization)
            {
                throw DomainException.Conflict($"Organization {organization} already has {MaxPoliciesPerOrganization} signature policies; delete one first.");
            }

            policy = new TrustPolicyEntity { OrganizationId = organizationId, CreatedBy = createdBy, CreatedAt = time.GetUtcNow() };
            db.TrustPolicies.Add(policy);
        }

        (policy.RepositoryPattern, policy.RequireAllTeams, policy.EnforceDeploy, policy.EnforcePull, policy.PullPrincipalKinds) =
            (pattern, mode == TrustPolicyView.TeamsMode, input.EnforceDeploy, input.EnforcePull, TrustPrincipalKinds.Format(kinds));
        await db.SaveChangesAsync(cancellationToken);
        db.TrustPolicyTeams.AddRange(teamIds.Select(t => new TrustPolicyTeamEntity { PolicyId = policy.Id, TeamId = t }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.Invalidate();
        return (await ViewsAsync(db, [policy], cancellationToken))[0];
    }

    /// <summary>The ids of <paramref name="names"/> (<c>team</c> of <paramref name="organization"/>, or <c>org/team</c>); each must exist.</summary>
    private static async Task<IReadOnlyList<long>> ResolveTeamsAsync(DockyardDbContext db, string organization, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        foreach (var name in names)
        {
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            var (org, team) = slash < 0 ? (organization, name) : (name[..slash], name[(slash + 1)..]);
            var id = await (
                from t in db.Teams.AsNoTracking()
                join o in db.Organizations.AsNoTracking() on t.OrganizationId equals o.Id
                where o.Name == org && t.Name == team
                select (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
            ids.Add(id ?? throw DomainException.Invalid("teams", $"No team '{team}' in organization '{org}'."));
        }

        return [.. ids.Distinct()];
    }

    private static async Task<IReadOnlyList<TrustPolicyView>> ViewsAsync(DockyardDbContext db, IReadOnlyList<TrustPolicyEntity> policies, CancellationToken cancellationToken)
    {
        var ids = policies.Select(p => p.Id).ToList();
        var organizationIds = policies.Select(p => p.OrganizationId).Distinct().ToList();
        var teams = await (
            from link in db.TrustPolicyTeams.AsNoTracking()
            where ids.Contains(link.PolicyId)
            join team in db.Teams.AsNoTracking() on link.TeamId equals team.Id
            join organization in db.Organizations.AsNoTracking() on team.OrganizationId equals organization.Id
            select new { link.PolicyId, Name = organization.Name + "/" + team.Name }).ToListAsync(cancellationToken);
        var names = await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        return [.. policies.Select(p => new TrustPolicyView(
            p.Id,
            names.GetValueOrDefault(p.OrganizationId) ?? string.Empty,
            p.RepositoryPattern,
            p.RequireAllTeams ? TrustPolicyView.TeamsMode : TrustPolicyView.AnyMode,
            [.. teams.Where(t => t.PolicyId == p.Id).Select(t => t.Name).Order(StringComparer.Ordinal)],
            p.EnforceDeploy,
            p.EnforcePull,
            TrustPrincipalKinds.Names(TrustPrincipalKinds.Read(p.PullPrincipalKinds)),
            p.CreatedBy,
            p.CreatedAt))];
    }
}
