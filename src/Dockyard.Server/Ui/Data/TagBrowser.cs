using Dockyard.Registry;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// A repository's tags for the tags table: filtered by name, sorted and paged (a repository may have thousands),
/// joined with their manifests; platforms and sizes come from <see cref="ManifestSummarizer"/>. Time and count sorts
/// page in the database; the name sort is version-aware (<see cref="TagVersionComparer"/>), which SQL cannot express,
/// so it reads the matching names only (short strings), sorts them here and reads the page's rows by name.
/// The caller has already checked that the principal may pull the repository.
/// </summary>
internal sealed class TagBrowser(IDbContextFactory<DockyardDbContext> contexts, ManifestSummarizer summaries)
{
    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 200;

    /// <summary>A page of tags; with <c>onlyTags</c>, of those tags only (the "unsigned only" filter's answer).</summary>
    public async Task<TagPage> ListAsync(RepositoryName repository, string? filter, TagSort sort, bool descending, int page, int pageSize, CancellationToken cancellationToken, IReadOnlyCollection<string>? onlyTags = null)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(1, page);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = repository.Value;
        var tags = db.Tags.AsNoTracking().Where(t => t.Repository == name);
        if (!string.IsNullOrWhiteSpace(filter))
        {
            var term = filter.Trim();
            tags = tags.Where(t => t.Name.Contains(term));
        }

        if (onlyTags is not null)
        {
            var names = onlyTags.ToList();
            tags = tags.Where(t => names.Contains(t.Name));
        }

        int total;
        IQueryable<TagEntity> paged;
        if (sort == TagSort.Name)
        {
            var all = await tags.Select(t => t.Name).ToListAsync(cancellationToken);
            total = all.Count;
            var ordered = descending ? all.OrderDescending(TagVersionComparer.Instance) : all.Order(TagVersionComparer.Instance);
            var pageNames = ordered.Skip((page - 1) * pageSize).Take(pageSize).ToList();
            paged = tags.Where(t => pageNames.Contains(t.Name));
        }
        else
        {
            total = await tags.CountAsync(cancellationToken);
            paged = (sort, descending) switch
            {
                (TagSort.Pushed, false) => tags.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Name),
                (TagSort.Pushed, true) => tags.OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.Name),

                // Never pulled (null) first ascending, last descending, on both providers (PostgreSQL's nulls sort high).
                (TagSort.Pulled, false) => tags.OrderBy(t => t.LastPulledAt != null).ThenBy(t => t.LastPulledAt).ThenBy(t => t.Name),
                (TagSort.Pulled, true) => tags.OrderByDescending(t => t.LastPulledAt != null).ThenByDescending(t => t.LastPulledAt).ThenBy(t => t.Name),
                (_, false) => tags.OrderBy(t => t.PullCount).ThenBy(t => t.Name),
                (_, true) => tags.OrderByDescending(t => t.PullCount).ThenBy(t => t.Name),
            };
            paged = paged.Skip((page - 1) * pageSize).Take(pageSize);
        }

        var rows = await (
            from t in paged
            join m in db.Manifests.AsNoTracking() on new { t.Repository, Digest = t.ManifestDigest } equals new { m.Repository, m.Digest }
            select new { t.Name, t.ManifestDigest, m.MediaType, t.UpdatedAt, t.PushedBy, t.LastPulledAt, t.PullCount }).ToListAsync(cancellationToken);

        // The join loses the order (SQL gives none for the outer query): restore it from the paged tags.
        var restored = (sort, descending) switch
        {
            (TagSort.Pushed, false) => rows.OrderBy(r => r.UpdatedAt).ThenBy(r => r.Name, StringComparer.Ordinal),
            (TagSort.Pushed, true) => rows.OrderByDescending(r => r.UpdatedAt).ThenBy(r => r.Name, StringComparer.Ordinal),
            (TagSort.Pulled, false) => rows.OrderBy(r => r.LastPulledAt).ThenBy(r => r.Name, StringComparer.Ordinal),
            (TagSort.Pulled, true) => rows.OrderByDescending(r => r.LastPulledAt).ThenBy(r => r.Name, StringComparer.Ordinal),
            (TagSort.Pulls, false) => rows.OrderBy(r => r.PullCount).ThenBy(r => r.Name, StringComparer.Ordinal),
            (TagSort.Pulls, true) => rows.OrderByDescending(r => r.PullCount).ThenBy(r => r.Name, StringComparer.Ordinal),
            (_, false) => rows.OrderBy(r => r.Name, TagVersionComparer.Instance),
            (_, true) => rows.OrderByDescending(r => r.Name, TagVersionComparer.Instance),
        };
        var known = await summaries.GetAsync(repository, [.. rows.Select(r => r.ManifestDigest).Distinct(StringComparer.Ordinal)], cancellationToken);
        var items = restored.Select(r => new TagRow(
            r.Name,
            r.ManifestDigest,
            r.MediaType,
            known.GetValueOrDefault(r.ManifestDigest, ManifestSummary.Unknown),
            r.UpdatedAt,
            r.PushedBy,
            r.LastPulledAt,
            r.PullCount)).ToList();
        return new TagPage(items, page, pageSize, total);
    }
}
