using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>
/// Storage used, for people: in all (the blobs table), per namespace (as <see cref="StorageUsage"/> counts it for
/// quotas: distinct content of its repositories) and per repository (its links and manifests). Read only; callers
/// decide who may see what (system administrators everything, organization members their organization).
/// </summary>
internal sealed class StorageReport(IDbContextFactory<DockyardDbContext> contexts, StorageUsage usage, AccessAuthorizer authorizer)
{
    public async Task<StorageTotals> TotalsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var blobs = db.Blobs.AsNoTracking().Where(b => b.DeletingSince == null);
        return new StorageTotals(await blobs.CountAsync(cancellationToken), await blobs.SumAsync(b => b.Size, cancellationToken));
    }

    /// <summary>Every repository (or those of <paramref name="organization"/>), largest first.</summary>
    public async Task<IReadOnlyList<RepositoryStorage>> RepositoriesAsync(string? organization, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var links = db.BlobLinks.AsNoTracking();
        var manifests = db.Manifests.AsNoTracking();
        var repositories = db.Repositories.AsNoTracking().Select(r => r.Name);
        if (organization is not null)
        {
            // '0' follows '/': every "org/…" name sorts in [org/, org0).
            var (lower, upper) = (organization + "/", organization + "0");
            links = links.Where(b => b.Repository == organization || (b.Repository.CompareTo(lower) >= 0 && b.Repository.CompareTo(upper) < 0));
            manifests = manifests.Where(m => m.Repository == organization || (m.Repository.CompareTo(lower) >= 0 && m.Repository.CompareTo(upper) < 0));
            repositories = repositories.Where(n => n == organization || (n.CompareTo(lower) >= 0 && n.CompareTo(upper) < 0));
        }

        var blobTotals = await links.GroupBy(b => b.Repository)
            .Select(g => new { Repository = g.Key, Bytes = g.Sum(b => b.Size), Count = g.Count() }).ToDictionaryAsync(x => x.Repository, StringComparer.Ordinal, cancellationToken);
        var manifestTotals = await manifests.GroupBy(m => m.Repository)
            .Select(g => new { Repository = g.Key, Bytes = g.Sum(m => m.Size), Count = g.Count() }).ToDictionaryAsync(x => x.Repository, StringComparer.Ordinal, cancellationToken);
        var names = await repositories.ToListAsync(cancellationToken);
        return [.. names
            .Select(name => new RepositoryStorage(
                name,
                (blobTotals.TryGetValue(name, out var b) ? b.Bytes : 0) + (manifestTotals.TryGetValue(name, out var m) ? m.Bytes : 0),
                b?.Count ?? 0,
                m?.Count ?? 0))
            .OrderByDescending(r => r.Bytes).ThenBy(r => r.Repository, StringComparer.Ordinal)];
    }

    /// <summary>The repositories of <paramref name="organization"/> that <paramref name="principal"/> may pull, largest first (the organization's total counts them all).</summary>
    public async Task<IReadOnlyList<RepositoryStorage>> VisibleRepositoriesAsync(Principal principal, string organization, CancellationToken cancellationToken)
    {
        var visible = new List<RepositoryStorage>();
        foreach (var repository in await RepositoriesAsync(organization, cancellationToken))
        {
            if (RepositoryName.TryParse(repository.Repository, out var name)
                && (await authorizer.GetRepositoryActionsAsync(principal, name, cancellationToken)).HasFlag(RepositoryActions.Pull))
            {
                visible.Add(repository);
            }
        }

        return visible;
    }

    /// <summary>Every namespace with a repository, and every organization; largest first.</summary>
    public async Task<IReadOnlyList<NamespaceStorage>> NamespacesAsync(CancellationToken cancellationToken)
    {
        List<string> names;
        Dictionary<string, long?> organizations;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            names = await db.Repositories.AsNoTracking().Select(r => r.Name).ToListAsync(cancellationToken);
            organizations = await db.Organizations.AsNoTracking().ToDictionaryAsync(o => o.Name, o => o.StorageQuotaBytes, StringComparer.Ordinal, cancellationToken);
        }

        var counts = names.GroupBy(NamespaceOf, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<NamespaceStorage>();
        foreach (var name in counts.Keys.Union(organizations.Keys, StringComparer.Ordinal))
        {
            var isOrganization = organizations.TryGetValue(name, out var quota);
            result.Add(new NamespaceStorage(name, isOrganization, await usage.UsedBytesAsync(name, cancellationToken), quota, counts.GetValueOrDefault(name)));
        }

        return [.. result.OrderByDescending(n => n.UsedBytes).ThenBy(n => n.Namespace, StringComparer.Ordinal)];
    }

    private static string NamespaceOf(string repository) => repository.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? repository[..slash] : repository;
}
