using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// The read side of the UI's repository pages: dashboard figures and the repository list, each a few SQL queries
/// over the pull predicate of <see cref="RepositoryAccessRules"/>, the one the authorizer evaluates for a single
/// repository (search, namespace filter, count and page all happen in the database; AuthorizerListAgreementTests
/// checks the list against the single decision).
/// </summary>
internal sealed class RepositoryBrowser(IDbContextFactory<DockyardDbContext> contexts)
{
    public const int DefaultPageSize = 25;

    public const int MaxPageSize = 100;

    public const int MaxQueryLength = 200;

    public async Task<DashboardSummary> GetDashboardAsync(Principal principal, int recent, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var visible = await (await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken)).PullableAsync(cancellationToken);
        var names = visible.Select(r => r.Name);
        var repositories = await visible.CountAsync(cancellationToken);
        var tags = await db.Tags.AsNoTracking().CountAsync(t => names.Contains(t.Repository), cancellationToken);

        // A blob shared by several repositories is stored once, so it is counted once.
        var storage = await db.BlobLinks.AsNoTracking().Where(b => names.Contains(b.Repository))
            .Select(b => new { b.Digest, b.Size }).Distinct().SumAsync(b => (long?)b.Size, cancellationToken) ?? 0;
        var pushes = await db.Tags.AsNoTracking().Where(t => names.Contains(t.Repository))
            .OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.Repository).ThenBy(t => t.Name).Take(recent)
            .Select(t => new RecentPush(t.Repository, t.Name, t.ManifestDigest, t.UpdatedAt, t.PushedBy))
            .ToListAsync(cancellationToken);
        return new DashboardSummary(repositories, tags, storage, pushes);
    }

    /// <summary>
    /// Repositories the caller may pull whose name or description contains <paramref name="query"/>
    /// (case-insensitive), optionally in one namespace, in <paramref name="sort"/> order (ties by name), one page
    /// (1-based). The page is one query: tag count, newest tag and size are correlated subqueries over primary keys
    /// (<c>tags</c>, <c>blob_links</c> start with the repository), never a query per row.
    /// </summary>
    public async Task<RepositoryListPage> ListAsync(Principal principal, string? query, string? ns, int page, int pageSize, CancellationToken cancellationToken, RepositoryListSort sort = RepositoryListSort.Name)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(1, page);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var visible = await (await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken)).PullableAsync(cancellationToken);

        // Namespaces come from names alone (short strings), so the filter lists only namespaces the caller can see.
        var namespaces = (await visible.Select(r => r.Name).ToListAsync(cancellationToken))
            .Select(n => n.IndexOf('/', StringComparison.Ordinal) is var i and > 0 ? n[..i] : n)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var rows = visible;
        if (!string.IsNullOrWhiteSpace(ns))
        {
            var prefix = ns + "/";
            rows = rows.Where(r => r.Name == ns || r.Name.StartsWith(prefix));
        }

        if (!string.IsNullOrWhiteSpace(query))
        {
            var term = query.Trim().ToLowerInvariant();
            rows = rows.Where(r => r.Name.Contains(term) || (r.Description != null && r.Description.ToLower().Contains(term)));
        }

        var total = await rows.CountAsync(cancellationToken);
        var ordered = sort switch
        {
            RepositoryListSort.Pulls => rows.OrderByDescending(r => r.PullCount).ThenBy(r => r.Name),

            // Never pulled or pushed (null) last on both providers (PostgreSQL sorts nulls first when descending).
            RepositoryListSort.Pulled => rows.OrderByDescending(r => r.LastPulledAt != null).ThenByDescending(r => r.LastPulledAt).ThenBy(r => r.Name),
            RepositoryListSort.Pushed => rows.OrderByDescending(r => db.Tags.Any(t => t.Repository == r.Name))
                .ThenByDescending(r => db.Tags.Where(t => t.Repository == r.Name).Max(t => (DateTimeOffset?)t.UpdatedAt)).ThenBy(r => r.Name),
            _ => rows.OrderBy(r => r.Name),
        };
        var items = await ordered.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(r => new RepositorySummary(
                r.Name,
                r.Description,
                r.Visibility,
                db.Tags.Count(t => t.Repository == r.Name),
                db.Tags.Where(t => t.Repository == r.Name).Max(t => (DateTimeOffset?)t.UpdatedAt),
                db.BlobLinks.Where(b => b.Repository == r.Name).Sum(b => (long?)b.Size) ?? 0,
                r.PullCount,
                r.LastPulledAt))
            .ToListAsync(cancellationToken);
        return new RepositoryListPage(items, page, pageSize, total, namespaces);
    }
}
