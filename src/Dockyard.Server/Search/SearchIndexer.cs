using System.Text;
using Dockyard.Registry;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Trust.Signatures;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Search;

/// <summary>
/// Derives one repository's <c>search_documents</c> row from the registry tables (repository, tags, signature
/// referrers) and the per-image facts of <c>search_images</c> (read from storage once per image by
/// <see cref="SearchImageReader"/>). Idempotent and whole: indexing a repository again gives the same row whatever
/// happened before, so the event consumer may see an event twice and a rebuild may run at any time. A repository that
/// no longer exists loses its row.
/// </summary>
internal sealed partial class SearchIndexer(
    IDbContextFactory<DockyardDbContext> contexts,
    SearchImageReader images,
    TimeProvider time,
    ILogger<SearchIndexer> logger)
{
    private const int RecentTagCount = 10;

    public async Task IndexRepositoryAsync(string repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Repositories.AsNoTracking().Where(r => r.Name == repository)
            .Select(r => new { r.Name, r.Description }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            await db.SearchDocuments.Where(d => d.Repository == repository).ExecuteDeleteAsync(cancellationToken);
            await db.SearchImages.Where(i => i.Repository == repository).ExecuteDeleteAsync(cancellationToken);
            return;
        }

        var tags = await db.Tags.AsNoTracking().Where(t => t.Repository == repository)
            .Select(t => new { t.Name, t.ManifestDigest, t.UpdatedAt }).ToListAsync(cancellationToken);
        var signatureSubjects = (await db.Manifests.AsNoTracking()
            .Where(m => m.Repository == repository && m.Subject != null && m.ArtifactType != null
                && (m.ArtifactType == RegistrySignatureSource.CosignSignatureArtifactType || m.ArtifactType.StartsWith(RegistrySignatureSource.BundleMediaTypePrefix)))
            .Select(m => m.Subject!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var tagNames = tags.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        // cosign's attachments (sha256-<hex>.sig/.att/.sbom) are tags too, but not names anyone searches for.
        var imageTags = tags.Where(t => !SignatureTags.TryParse(t.Name, out _)).OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        var digests = imageTags.Select(t => t.ManifestDigest).Distinct(StringComparer.Ordinal).ToList();
        var facts = await ImageFactsAsync(db, repository, digests, cancellationToken);

        var labels = new SortedSet<string>(StringComparer.Ordinal);
        var annotations = new SortedSet<string>(StringComparer.Ordinal);
        var platforms = new List<string>();
        var imageWords = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var fact in digests.Select(d => facts.GetValueOrDefault(d)).OfType<SearchImageEntity>())
        {
            labels.UnionWith(SplitLines(fact.Labels));
            annotations.UnionWith(SplitLines(fact.Annotations));
            foreach (var platform in fact.Platforms.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(p => !platforms.Contains(p)))
            {
                platforms.Add(platform);
            }

            if (fact.BaseImage is { } baseImage)
            {
                imageWords.Add(baseImage);
            }
        }

        var signed = digests.Any(d => signatureSubjects.Contains(d) || (Digest.TryParse(d, out var digest) && tagNames.Contains(SignatureTags.Signature(digest))));
        var architectures = platforms.Select(p => p.Split('/')).Where(p => p.Length >= 2).Select(p => p[1].ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var document = new SearchDocumentEntity
        {
            Repository = repository,
            Organization = repository.Split('/')[0],
            NameWords = Words(16 * 1024, repository),
            DescriptionWords = Words(16 * 1024, row.Description),
            TagWords = Words(32 * 1024, [.. imageTags.Select(t => t.Name)]),
            LabelWords = Words(32 * 1024, [.. labels]),
            AnnotationWords = Words(32 * 1024, [.. annotations]),
            ImageWords = Words(8 * 1024, [.. platforms, .. imageWords]),
            Labels = Cap("\n" + string.Concat(labels.Select(l => l + "\n")), 64 * 1024),
            Architectures = architectures.Count == 0 ? string.Empty : " " + string.Join(' ', architectures) + " ",
            Platforms = Cap(string.Join(',', platforms), 1024),
            RecentTags = Cap(string.Join(',', imageTags.Take(RecentTagCount).Select(t => t.Name)), 2048),
            TagCount = imageTags.Count,
            LastPushedAt = imageTags.Count == 0 ? null : imageTags[0].UpdatedAt,
            Signed = signed,
            IndexedAt = time.GetUtcNow(),
        };
        await SaveAsync(db, document, cancellationToken);

        // Facts of manifests the repository no longer holds.
        await db.SearchImages.Where(i => i.Repository == repository && !db.Manifests.Any(m => m.Repository == repository && m.Digest == i.Digest))
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Indexes every repository again (in name order, one at a time) and drops rows of repositories that are gone:
    /// for existing installations (run once after the migration by <see cref="SearchIndexBootstrap"/>) and
    /// <c>dockyard search-index rebuild</c>. Returns how many repositories it indexed.
    /// </summary>
    public async Task<int> RebuildAsync(IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var count = 0;
        string? after = null;
        while (true)
        {
            List<string> names;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                var page = db.Repositories.AsNoTracking();
                if (after is not null)
                {
                    page = page.Where(r => string.Compare(r.Name, after) > 0);
                }

                names = await page.OrderBy(r => r.Name).Select(r => r.Name).Take(500).ToListAsync(cancellationToken);
            }

            if (names.Count == 0)
            {
                break;
            }

            foreach (var name in names)
            {
                await IndexRepositoryAsync(name, cancellationToken);
                count++;
                progress?.Report(count);
            }

            after = names[^1];
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.SearchDocuments.Where(d => !db.Repositories.Any(r => r.Name == d.Repository)).ExecuteDeleteAsync(cancellationToken);
            await db.SearchImages.Where(i => !db.Repositories.Any(r => r.Name == i.Repository)).ExecuteDeleteAsync(cancellationToken);
        }

        LogRebuilt(count);
        return count;
    }

    private async Task<Dictionary<string, SearchImageEntity>> ImageFactsAsync(DockyardDbContext db, string repository, List<string> digests, CancellationToken cancellationToken)
    {
        var facts = await db.SearchImages.AsNoTracking().Where(i => i.Repository == repository && digests.Contains(i.Digest))
            .ToDictionaryAsync(i => i.Digest, StringComparer.Ordinal, cancellationToken);
        foreach (var digest in digests.Where(d => !facts.ContainsKey(d)))
        {
            if (!Digest.TryParse(digest, out var parsed))
            {
                continue;
            }

            var fact = await images.ReadAsync(repository, parsed, cancellationToken);
            facts[digest] = fact;

            // Whoever indexes the image first stores its facts; a concurrent rebuild computed the same ones.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO search_images (repository, digest, labels, annotations, platforms, base_image)
                VALUES ({fact.Repository}, {fact.Digest}, {fact.Labels}, {fact.Annotations}, {fact.Platforms}, {fact.BaseImage})
                ON CONFLICT (repository, digest) DO NOTHING
                """,
                cancellationToken);
        }

        return facts;
    }

    private static async Task SaveAsync(DockyardDbContext db, SearchDocumentEntity document, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await db.SearchDocuments.FirstOrDefaultAsync(d => d.Repository == document.Repository, cancellationToken);
            if (existing is null)
            {
                db.SearchDocuments.Add(document);
            }
            else
            {
                document.Id = existing.Id;
                db.Entry(existing).CurrentValues.SetValues(document);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // Another indexer inserted the row first (a rebuild beside the event consumer): update that one.
                db.ChangeTracker.Clear();
                document.Id = 0;
            }
        }
    }

    private static string Words(int maxLength, params string?[] texts)
    {
        var builder = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var word in SearchText.Words(text ?? string.Empty))
            {
                if (seen.Add(word))
                {
                    if (builder.Length + word.Length + 1 > maxLength)
                    {
                        return builder.ToString();
                    }

                    builder.Append(builder.Length == 0 ? string.Empty : " ").Append(word);
                }
            }
        }

        return builder.ToString();
    }

    private static IEnumerable<string> SplitLines(string lines) => lines.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Cap(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(EventId = 9301, Level = LogLevel.Information, Message = "Search index rebuilt: {Count} repositories")]
    private partial void LogRebuilt(int count);
}
