using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>
/// Immutability rules of an organization or a repository. Every change invalidates the write path's cache. Changes
/// take the <see cref="Caller"/>, are authorized here (organization owners, repository administrators:
/// <see cref="PolicyAccessRules"/>, <see cref="RepositoryAdministrationRules"/>) and recorded here (<see cref="AuditedOperations"/>).
/// </summary>
internal sealed class ImmutabilityRuleService(
    IDbContextFactory<DockyardDbContext> contexts, PolicyCache cache, TimeProvider time, PolicyAccessRules organizations, RepositoryAdministrationRules repositories, AuditedOperations audited)
{
    /// <summary>Most rules one scope may have: each is matched on every push by tag.</summary>
    public const int MaxRulesPerScope = 50;

    public async Task<IReadOnlyList<ImmutabilityRuleEntity>> ListAsync(PolicyScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await InScope(db, scope).AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Adds a rule to <paramref name="target"/>; <paramref name="invalidRequest"/>, when set, is the request's fault
    /// found by the entry point (no body), raised as invalid once the caller is authorized.
    /// </summary>
    public async Task<ImmutabilityRuleEntity> CreateAsync(Caller caller, PolicyTarget target, string? tagPattern, string? repositoryPattern, CancellationToken cancellationToken, string? invalidRequest = null)
    {
        PolicyScope? scope = null;
        return await audited.RunAsync(
            caller,
            target.Action(AuditActions.ImmutabilityRuleCreate, "immutability-rules").WithFields(("tagPattern", tagPattern), ("repositoryPattern", repositoryPattern)),
            async token =>
            {
                (scope, var decision) = await AuthorizeAsync(caller, target, token);
                return decision;
            },
            token => invalidRequest is null
                ? CreateAsync(scope!, tagPattern, repositoryPattern, caller.Principal.Name, token)
                : throw DomainException.Invalid("request", invalidRequest),
            cancellationToken,
            rule => $"{target.Resource}/immutability-rules/{rule.Id}");
    }

    /// <summary>Deletes rule <paramref name="id"/> of <paramref name="target"/>.</summary>
    public async Task DeleteAsync(Caller caller, PolicyTarget target, long id, CancellationToken cancellationToken)
    {
        PolicyScope? scope = null;
        await audited.RunAsync(
            caller,
            target.Action(AuditActions.ImmutabilityRuleDelete, $"immutability-rules/{id}"),
            async token =>
            {
                (scope, var decision) = await AuthorizeAsync(caller, target, token);
                return decision;
            },
            token => DeleteAsync(scope!, id, token),
            cancellationToken);
    }

    private async Task<ImmutabilityRuleEntity> CreateAsync(PolicyScope scope, string? tagPattern, string? repositoryPattern, string? createdBy, CancellationToken cancellationToken)
    {
        var tag = TagPatterns.Validate("tagPattern", tagPattern);
        if (repositoryPattern is not null)
        {
            if (scope.Repository is not null)
            {
                throw DomainException.Invalid("repositoryPattern", "Only organization rules take a repository pattern; this rule already names its repository.");
            }

            ValidateRepositoryPattern(scope.OrganizationName!, repositoryPattern);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await InScope(db, scope).ToListAsync(cancellationToken);
        if (existing.Count >= MaxRulesPerScope)
        {
            throw DomainException.Conflict($"{scope.Describe()} already has {MaxRulesPerScope} immutability rules; delete one first.");
        }

        if (existing.Any(r => r.TagPattern == tag && r.RepositoryPattern == repositoryPattern))
        {
            throw DomainException.Conflict($"{scope.Describe()} already has the rule \"{tag}\".");
        }

        var rule = new ImmutabilityRuleEntity
        {
            OrganizationId = scope.OrganizationId,
            Repository = scope.Repository,
            TagPattern = tag,
            RepositoryPattern = repositoryPattern,
            CreatedBy = createdBy,
            CreatedAt = time.GetUtcNow(),
        };
        db.ImmutabilityRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return rule;
    }

    private async Task DeleteAsync(PolicyScope scope, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await InScope(db, scope).Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw DomainException.NotFound($"No immutability rule {id} on {scope.Describe()}.");
        }

        cache.Invalidate();
    }

    private async Task<(PolicyScope Scope, AccessDecision Decision)> AuthorizeAsync(Caller caller, PolicyTarget target, CancellationToken cancellationToken)
    {
        if (target.Repository is { } repository)
        {
            return (PolicyScope.ForRepository(repository), await repositories.AdministerAsync(caller.Principal, repository, cancellationToken));
        }

        var (organization, decision) = await organizations.OrganizationAsync(caller.Principal, target.Organization!, PolicyKind.Immutability, cancellationToken);
        return (PolicyScope.ForOrganization(organization.Id, organization.Name), decision);
    }

    private static IQueryable<ImmutabilityRuleEntity> InScope(DockyardDbContext db, PolicyScope scope) => scope.Repository is { } repository
        ? db.ImmutabilityRules.Where(r => r.Repository == repository)
        : db.ImmutabilityRules.Where(r => r.OrganizationId == scope.OrganizationId);

    /// <summary>Throws invalid (field <c>repositoryPattern</c>) unless <paramref name="pattern"/> is a repository glob inside <paramref name="organization"/>; signature policies share it.</summary>
    internal static void ValidateRepositoryPattern(string organization, string pattern)
    {
        if (pattern.Length is 0 or > 255 || !pattern.StartsWith(organization + "/", StringComparison.Ordinal)
            || !pattern.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '/' or '.' or '_' or '-' or '*'))
        {
            throw DomainException.Invalid("repositoryPattern", $"'{pattern}' is not a repository pattern of '{organization}': start with '{organization}/', use lowercase names, * (within a path component) and ** (across).");
        }
    }
}
