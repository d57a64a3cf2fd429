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
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Loaded? _current;
    private long _version;

    public async ValueTask<PolicySnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (IsFresh(current))
        {
            return current!.Snapshot;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            if (IsFresh(current))
            {
                return current!.Snapshot;
            }

            var version = Interlocked.Read(ref _version);
            var snapshot = await LoadAsync(cancellationToken);
            _current = new Loaded(snapshot, version, time.GetUtcNow());
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Called after every change of rules or quotas: the next check reloads.</summary>
    public void Invalidate() => Interlocked.Increment(ref _version);

    public void Dispose() => _loading.Dispose();

    private bool IsFresh(Loaded? loaded) =>
        loaded is not null && loaded.Version == Interlocked.Read(ref _version) && time.GetUtcNow() - loaded.LoadedAt < options.Value.CacheTtl;

    private async Task<PolicySnapshot> LoadAsync(CancellationToken cancellationToken)
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

    private sealed record Loaded(PolicySnapshot Snapshot, long Version, DateTimeOffset LoadedAt);
}
