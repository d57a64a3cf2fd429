using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>
/// Retention policies: at most one per organization and one per repository. A repository's own policy replaces its
/// organization's (they are not merged). Changes take the <see cref="Caller"/>, are authorized here (organization
/// owners, repository administrators) and recorded here (<see cref="AuditedOperations"/>).
/// </summary>
internal sealed class RetentionPolicyService(
    IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, PolicyAccessRules organizations, RepositoryAdministrationRules repositories, AuditedOperations audited)
{
    public const int MaxKeepTags = 20;

    public async Task<RetentionPolicyEntity?> GetAsync(PolicyScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await InScope(db, scope).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Creates or replaces the policy of <paramref name="target"/>; returns it, whether it is new, and the scope.
    /// <paramref name="invalidRequest"/>, when set, is the request's fault found by the entry point (no body), raised as
    /// invalid once the caller is authorized.
    /// </summary>
    public async Task<(RetentionPolicyEntity Policy, bool Created, PolicyScope Scope)> PutAsync(
        Caller caller, PolicyTarget target, RetentionSettings settings, CancellationToken cancellationToken, string? invalidRequest = null)
    {
        PolicyScope? scope = null;
        var (policy, created) = await audited.RunAsync(
            caller,
            target.Action(AuditActions.RetentionPolicyUpdate, "retention").WithFields(
                ("enabled", settings.Enabled), ("keepLastTags", settings.KeepLastTags), ("keepTags", settings.KeepTags),
                ("deleteUntaggedAfter", settings.DeleteUntaggedAfter), ("includeRecent", settings.IncludeRecent)),
            async token =>
            {
                (scope, var decision) = await AuthorizeAsync(caller, target, token);
                return decision;
            },
            token => invalidRequest is null ? PutAsync(scope!, settings, caller.Principal.Name, token) : throw DomainException.Invalid("request", invalidRequest),
            cancellationToken);
        return (policy, created, scope!);
    }

    /// <summary>Removes the policy of <paramref name="target"/>.</summary>
    public async Task DeleteAsync(Caller caller, PolicyTarget target, CancellationToken cancellationToken)
    {
        PolicyScope? scope = null;
        await audited.RunAsync(
            caller,
            target.Action(AuditActions.RetentionPolicyDelete, "retention"),
            async token =>
            {
                (scope, var decision) = await AuthorizeAsync(caller, target, token);
                return decision;
            },
            token => DeleteAsync(scope!, token),
            cancellationToken);
    }

    private async Task<(PolicyScope Scope, AccessDecision Decision)> AuthorizeAsync(Caller caller, PolicyTarget target, CancellationToken cancellationToken)
    {
        if (target.Repository is { } repository)
        {
            return (PolicyScope.ForRepository(repository), await repositories.AdministerAsync(caller.Principal, repository, cancellationToken));
        }

        var (organization, decision) = await organizations.OrganizationAsync(caller.Principal, target.Organization!, PolicyKind.Retention, cancellationToken);
        return (PolicyScope.ForOrganization(organization.Id, organization.Name), decision);
    }

    private async Task<(RetentionPolicyEntity Policy, bool Created)> PutAsync(PolicyScope scope, RetentionSettings settings, string? updatedBy, CancellationToken cancellationToken)
    {
        var rule = Validate(settings);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var policy = await InScope(db, scope).FirstOrDefaultAsync(cancellationToken);
        var created = policy is null;
        policy ??= db.RetentionPolicies.Add(new RetentionPolicyEntity { OrganizationId = scope.OrganizationId, Repository = scope.Repository }).Entity;
        policy.Enabled = settings.Enabled ?? true;
        policy.KeepLastTags = rule.KeepLastTags;
        policy.KeepTagPatterns = rule.KeepTagPatterns.Count == 0 ? null : string.Join('\n', rule.KeepTagPatterns);
        policy.DeleteUntaggedAfterSeconds = rule.DeleteUntaggedAfter is { } age ? (long)age.TotalSeconds : null;
        policy.IncludeRecent = rule.IncludeRecent;
        policy.UpdatedBy = updatedBy;
        policy.UpdatedAt = time.GetUtcNow();
        await UserService.SaveAsync(db, $"{scope.Describe()} was given a retention policy concurrently; retry.", cancellationToken);
        return (policy, created);
    }

    private async Task DeleteAsync(PolicyScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await InScope(db, scope).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw DomainException.NotFound($"{scope.Describe()} has no retention policy.");
        }
    }

    /// <summary>
    /// The policy that governs each repository: its own, else its organization's. A disabled policy governs nothing,
    /// and a repository's own disabled policy exempts it from its organization's.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, (RetentionRule Rule, PolicyScope Scope)>> EffectiveAsync(IReadOnlyList<string> repositories, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var policies = await db.RetentionPolicies.AsNoTracking().ToListAsync(cancellationToken);
        var organizations = await db.Organizations.AsNoTracking().Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Name, o => o.Id, StringComparer.Ordinal, cancellationToken);
        var byRepository = policies.Where(p => p.Repository is not null).ToDictionary(p => p.Repository!, StringComparer.Ordinal);
        var byOrganization = policies.Where(p => p.OrganizationId is not null).ToDictionary(p => p.OrganizationId!.Value);
        var result = new Dictionary<string, (RetentionRule, PolicyScope)>(StringComparer.Ordinal);
        foreach (var repository in repositories)
        {
            if (byRepository.TryGetValue(repository, out var own))
            {
                if (own.Enabled)
                {
                    result[repository] = (ToRule(own), PolicyScope.ForRepository(repository));
                }
            }
            else if (RepositoryName.TryParse(repository, out var name) && organizations.TryGetValue(name.Namespace, out var orgId)
                     && byOrganization.TryGetValue(orgId, out var inherited) && inherited.Enabled)
            {
                result[repository] = (ToRule(inherited), PolicyScope.ForOrganization(orgId, name.Namespace));
            }
        }

        return result;
    }

    public static RetentionRule ToRule(RetentionPolicyEntity policy) => new()
    {
        KeepLastTags = policy.KeepLastTags,
        KeepTagPatterns = policy.KeepTagPatterns is null ? [] : policy.KeepTagPatterns.Split('\n'),
        DeleteUntaggedAfter = policy.DeleteUntaggedAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        IncludeRecent = policy.IncludeRecent,
    };

    private static RetentionRule Validate(RetentionSettings settings)
    {
        if (settings.KeepLastTags is < 0 or > 100_000)
        {
            throw DomainException.Invalid("keepLastTags", "Must be between 0 and 100000.");
        }

        var patterns = settings.KeepTags ?? [];
        if (patterns.Count > MaxKeepTags)
        {
            throw DomainException.Invalid("keepTags", $"At most {MaxKeepTags} patterns.");
        }

        foreach (var pattern in patterns)
        {
            TagPatterns.Validate("keepTags", pattern);
        }

        var rule = new RetentionRule
        {
            KeepLastTags = settings.KeepLastTags,
            KeepTagPatterns = [.. patterns.Distinct(StringComparer.Ordinal)],
            DeleteUntaggedAfter = settings.DeleteUntaggedAfter is { } text ? DurationText.Parse("deleteUntaggedAfter", text) : null,
            IncludeRecent = settings.IncludeRecent ?? false,
        };
        if (!rule.GovernsTags && rule.DeleteUntaggedAfter is null)
        {
            throw DomainException.Invalid("keepLastTags", "A policy needs at least one rule: keepLastTags, keepTags or deleteUntaggedAfter.");
        }

        return rule;
    }

    private static IQueryable<RetentionPolicyEntity> InScope(DockyardDbContext db, PolicyScope scope) => scope.Repository is { } repository
        ? db.RetentionPolicies.Where(p => p.Repository == repository)
        : db.RetentionPolicies.Where(p => p.OrganizationId == scope.OrganizationId);
}
