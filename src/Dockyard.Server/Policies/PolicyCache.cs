using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Policies;

/// <summary>
/// The current <see cref="PolicySnapshot"/>. Reloaded when a change through this process invalidates it, or after
/// <see cref="PolicyOptions.CacheTtl"/> (changes made through other replicas). One load at a time; readers never wait
/// for a reload while a valid snapshot exists.
/// </summary>
internal sealed class PolicyCache(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, IOptions<PolicyOptions> options) : IDisposable
{
    private readonly ReloadingSnapshot<PolicySnapshot> _snapshot = new((_, token) => LoadAsync(contexts, token), time, () => options.Value.CacheTtl);

    public ValueTask<PolicySnapshot> GetAsync(CancellationToken cancellationToken) => _snapshot.GetAsync(cancellationToken);

    /// <summary>Called after every change of rules or quotas: the next check reloads.</summary>
    public void Invalidate() => _snapshot.Invalidate();

    public void Dispose() => _snapshot.Dispose();

    private static async Task<PolicySnapshot> LoadAsync(IDbContextFactory<DockyardDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizations = await db.Organizations.AsNoTracking().Select(o => new { o.Id, o.Name, o.StorageQuotaBytes }).ToListAsync(cancellationToken);
        var names = organizations.ToDictionary(o => o.Id, o => o.Name);
        var rules = await db.ImmutabilityRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var byOrganization = rules.Where(r => r.OrganizationId is { } id && names.ContainsKey(id))
            .GroupBy(r => names[r.OrganizationId!.Value], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ImmutabilityRule>)[.. g.Select(r => new ImmutabilityRule(r.Id, PolicyScope.ForOrganization(r.OrganizationId!.Value, g.Key), r.TagPattern, r.RepositoryPattern))], StringComparer.Ordinal);
        var byRepository = rules.Where(r => r.Repository is not null)
            .GroupBy(r => r.Repository!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ImmutabilityRule>)[.. g.Select(r => new ImmutabilityRule(r.Id, PolicyScope.ForRepository(g.Key), r.TagPattern, null))], StringComparer.Ordinal);
        var quotas = organizations.Where(o => o.StorageQuotaBytes is not null).ToDictionary(o => o.Name, o => o.StorageQuotaBytes!.Value, StringComparer.Ordinal);
        return new PolicySnapshot(byOrganization, byRepository, quotas);
    }

}
