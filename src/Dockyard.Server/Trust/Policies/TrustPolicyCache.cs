using Dockyard.Server.Data;
using Dockyard.Server.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Trust.Policies;

/// <summary>
/// The current <see cref="TrustPolicySnapshot"/>, as <see cref="PolicyCache"/> keeps immutability rules: reloaded when a
/// change through this process invalidates it, or after <see cref="PolicyOptions.CacheTtl"/> (changes through other
/// replicas, team renames). One load at a time; readers never wait while a valid snapshot exists, so the pull path
/// pays a field read when nothing changed.
/// </summary>
internal sealed class TrustPolicyCache(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, IOptions<PolicyOptions> options) : IDisposable
{
    private readonly ReloadingSnapshot<TrustPolicySnapshot> _snapshot = new((_, token) => LoadAsync(contexts, token), time, () => options.Value.CacheTtl);

    public ValueTask<TrustPolicySnapshot> GetAsync(CancellationToken cancellationToken) => _snapshot.GetAsync(cancellationToken);

    /// <summary>Called after every change of a policy (or of the teams one requires): the next check reloads.</summary>
    public void Invalidate() => _snapshot.Invalidate();

    public void Dispose() => _snapshot.Dispose();

    private static async Task<TrustPolicySnapshot> LoadAsync(IDbContextFactory<DockyardDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var policies = await db.TrustPolicies.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        if (policies.Count == 0)
        {
            return TrustPolicySnapshot.Empty;
        }

        var organizations = await db.Organizations.AsNoTracking().Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var teams = await (
            from link in db.TrustPolicyTeams.AsNoTracking()
            join team in db.Teams.AsNoTracking() on link.TeamId equals team.Id
            select new { link.PolicyId, team.OrganizationId, team.Name }).ToListAsync(cancellationToken);
        var teamsOf = teams.Where(t => organizations.ContainsKey(t.OrganizationId))
            .GroupBy(t => t.PolicyId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(t => $"{organizations[t.OrganizationId]}/{t.Name}").Order(StringComparer.Ordinal)]);
        var byOrganization = policies.Where(p => organizations.ContainsKey(p.OrganizationId))
            .Select(p => new TrustPolicy(
                p.Id,
                organizations[p.OrganizationId],
                p.RepositoryPattern,
                p.RequireAllTeams,
                teamsOf.GetValueOrDefault(p.Id) ?? [],
                p.EnforceDeploy,
                p.EnforcePull,
                TrustPrincipalKinds.Read(p.PullPrincipalKinds)))
            .GroupBy(p => p.Organization, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TrustPolicy>)[.. g], StringComparer.Ordinal);
        return new TrustPolicySnapshot(byOrganization, policies.Any(p => p.EnforcePull), policies.Any(p => p.EnforceDeploy));
    }

}
