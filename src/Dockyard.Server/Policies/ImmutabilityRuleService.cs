using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>Immutability rules of an organization or a repository. Every change invalidates the write path's cache.</summary>
internal sealed class ImmutabilityRuleService(IDbContextFactory<DockyardDbContext> contexts, PolicyCache cache, TimeProvider time)
{
    /// <summary>Most rules one scope may have: each is matched on every push by tag.</summary>
    public const int MaxRulesPerScope = 50;

    public async Task<IReadOnlyList<ImmutabilityRuleEntity>> ListAsync(PolicyScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await InScope(db, scope).AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    public async Task<ImmutabilityRuleEntity> CreateAsync(PolicyScope scope, string? tagPattern, string? repositoryPattern, string? createdBy, CancellationToken cancellationToken)
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

    public async Task DeleteAsync(PolicyScope scope, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await InScope(db, scope).Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw DomainException.NotFound($"No immutability rule {id} on {scope.Describe()}.");
        }

        cache.Invalidate();
    }

    private static IQueryable<ImmutabilityRuleEntity> InScope(DockyardDbContext db, PolicyScope scope) => scope.Repository is { } repository
        ? db.ImmutabilityRules.Where(r => r.Repository == repository)
        : db.ImmutabilityRules.Where(r => r.OrganizationId == scope.OrganizationId);

    private static void ValidateRepositoryPattern(string organization, string pattern)
    {
        if (pattern.Length is 0 or > 255 || !pattern.StartsWith(organization + "/", StringComparison.Ordinal)
            || !pattern.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '/' or '.' or '_' or '-' or '*'))
        {
            throw DomainException.Invalid("repositoryPattern", $"'{pattern}' is not a repository pattern of '{organization}': start with '{organization}/', use lowercase names, * (within a path component) and ** (across).");
        }
    }
}
