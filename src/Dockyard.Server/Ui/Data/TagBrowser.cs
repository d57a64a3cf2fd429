using Dockyard.Registry;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// A repository's tags for the tags table: filtered by name, sorted and paged in the database (a repository may have
/// thousands), joined with their manifests; platforms and sizes come from <see cref="ManifestSummarizer"/>.
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

        var total = await tags.CountAsync(cancellationToken);
        tags = (sort, descending) switch
        {
            (TagSort.Pushed, false) => tags.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Name),
            (TagSort.Pushed, true) => tags.OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.Name),
            (TagSort.Pulled, false) => tags.OrderBy(t => t.LastPulledAt).ThenBy(t => t.Name),
            (TagSort.Pulled, true) => tags.OrderByDescending(t => t.LastPulledAt).ThenBy(t => t.Name),
            (_, false) => tags.OrderBy(t => t.Name),
            (_, true) => tags.OrderByDescending(t => t.Name),
        };
        var rows = await (
            from t in tags.Skip((page - 1) * pageSize).Take(pageSize)
            join m in db.Manifests.AsNoTracking() on new { t.Repository, Digest = t.ManifestDigest } equals new { m.Repository, m.Digest }
            select new { t.Name, t.ManifestDigest, m.MediaType, t.UpdatedAt, t.PushedBy, t.LastPulledAt }).ToListAsync(cancellationToken);

        // The join loses the order (SQL gives none for the outer query): restore it from the paged tags.
        var ordered = (sort, descending) switch
        {
            (TagSort.Pushed, false) => rows.OrderBy(r => r.UpdatedAt).ThenBy(r => r.Name, StringComparer.Ordinal),
            (TagSort.Pushed, true) => rows.OrderByDescending(r => r.UpdatedAt).ThenBy(r => r.Name, StringComparer.Ordinal),
            (TagSort.Pulled, false) => rows.OrderBy(r => r.LastPulledAt).ThenBy(r => r.Name, StringComparer.Ordinal),
            (TagSort.Pulled, true) => rows.OrderByDescending(r => r.LastPulledAt).ThenBy(r => r.Name, StringComparer.Ordinal),
            (_, false) => rows.OrderBy(r => r.Name, StringComparer.Ordinal),
            (_, true) => rows.OrderByDescending(r => r.Name, StringComparer.Ordinal),
        };
        var known = await summaries.GetAsync(repository, [.. rows.Select(r => r.ManifestDigest).Distinct(StringComparer.Ordinal)], cancellationToken);
        var items = ordered.Select(r => new TagRow(
            r.Name,
            r.ManifestDigest,
            r.MediaType,
            known.GetValueOrDefault(r.ManifestDigest, ManifestSummary.Unknown),
            r.UpdatedAt,
            r.PushedBy,
            r.LastPulledAt)).ToList();
        return new TagPage(items, page, pageSize, total);
    }
}
