using System.Runtime.CompilerServices;
using Dockyard.Registry;
using Dockyard.Registry.Maintenance;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Data;

/// <summary><see cref="IIntegrityIndex"/> over EF Core: keyset-paged reads, so a registry of any size streams through.</summary>
internal sealed class EfIntegrityIndex(IDbContextFactory<DockyardDbContext> contexts) : IIntegrityIndex
{
    private const int PageSize = 1000;

    public async IAsyncEnumerable<IndexedTag> ListTagsAsync(RepositoryName? repository, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = repository?.Value;
        string lastRepository = string.Empty, lastTag = string.Empty;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var (r, t) = (lastRepository, lastTag);
            var page = await db.Tags.AsNoTracking()
                .Where(x => name == null || x.Repository == name)
                .Where(x => x.Repository.CompareTo(r) > 0 || (x.Repository == r && x.Name.CompareTo(t) > 0))
                .OrderBy(x => x.Repository).ThenBy(x => x.Name).Take(PageSize)
                .Select(x => new
                {
                    x.Repository,
                    x.Name,
                    x.ManifestDigest,
                    x.UpdatedAt,
                    Exists = db.Manifests.Any(m => m.Repository == x.Repository && m.Digest == x.ManifestDigest),
                })
                .ToListAsync(cancellationToken);
            foreach (var row in page)
            {
                yield return new IndexedTag(RepositoryName.Parse(row.Repository), row.Name, Digest.Parse(row.ManifestDigest), row.Exists, row.UpdatedAt);
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            (lastRepository, lastTag) = (page[^1].Repository, page[^1].Name);
        }
    }

    public async IAsyncEnumerable<IndexedManifest> ListManifestsAsync(RepositoryName? repository, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = repository?.Value;
        string lastRepository = string.Empty, lastDigest = string.Empty;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var (r, d) = (lastRepository, lastDigest);
            var page = await db.Manifests.AsNoTracking()
                .Where(x => name == null || x.Repository == name)
                .Where(x => x.Repository.CompareTo(r) > 0 || (x.Repository == r && x.Digest.CompareTo(d) > 0))
                .OrderBy(x => x.Repository).ThenBy(x => x.Digest).Take(PageSize)
                .Select(x => new { x.Repository, x.Digest, x.Size })
                .ToListAsync(cancellationToken);
            foreach (var group in page.GroupBy(m => m.Repository))
            {
                var owner = group.Key;
                var digests = group.Select(m => m.Digest).ToArray();
                var references = (await db.ManifestReferences.AsNoTracking()
                        .Where(x => x.Repository == owner && digests.Contains(x.ManifestDigest))
                        .Select(x => new
                        {
                            x.ManifestDigest,
                            x.ChildDigest,
                            IsBlob = db.BlobLinks.Any(l => l.Repository == x.Repository && l.Digest == x.ChildDigest),
                            IsManifest = db.Manifests.Any(m => m.Repository == x.Repository && m.Digest == x.ChildDigest),
                        })
                        .ToListAsync(cancellationToken))
                    .ToLookup(x => x.ManifestDigest, StringComparer.Ordinal);
                foreach (var manifest in group)
                {
                    var classified = references[manifest.Digest]
                        .OrderBy(x => x.ChildDigest, StringComparer.Ordinal)
                        .Select(x => new IndexedReference(
                            Digest.Parse(x.ChildDigest),
                            x.IsBlob ? IndexedReferenceKind.Blob : x.IsManifest ? IndexedReferenceKind.Manifest : IndexedReferenceKind.Missing))
                        .ToList();
                    yield return new IndexedManifest(RepositoryName.Parse(owner), Digest.Parse(manifest.Digest), manifest.Size, classified);
                }
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            (lastRepository, lastDigest) = (page[^1].Repository, page[^1].Digest);
        }
    }

    public async IAsyncEnumerable<IndexedBlob> ListBlobsAsync(RepositoryName? repository, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var page = await db.Database.SqlQuery<BlobRow>(BlobPage(repository?.Value, after)).ToListAsync(cancellationToken);
            foreach (var row in page)
            {
                yield return new IndexedBlob(Digest.Parse(row.Digest), row.Size, row.Records > 0, row.Marked > 0);
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].Digest;
        }
    }

    public async Task<bool> ManifestExistsAfterWritersAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        // SQLite: the transaction begins IMMEDIATE, which waits for the write transaction in flight (they are serial).
        // PostgreSQL: FOR SHARE waits for the transaction holding the row's lock (a delete takes it), then re-reads.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (name, value) = (repository.Value, digest.Value);
        var rows = db is PostgresDockyardDbContext
            ? db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM manifests WHERE repository = {name} AND digest = {value} FOR SHARE")
            : db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM manifests WHERE repository = {name} AND digest = {value}");
        var exists = await rows.AnyAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return exists;
    }

    /// <summary>
    /// Distinct digests the index promises bytes for (linked blobs, manifest bodies), with their blob record's state.
    /// Each side is limited to its own next <see cref="PageSize"/> distinct digests before the two are merged, so a page
    /// walks the digest indexes from <paramref name="after"/> for a page's worth of rows: grouping the whole union first
    /// sorted every digest after <paramref name="after"/> for every page, quadratic in the registry's size (at 100,000
    /// manifests a page near the start took 220 ms of CPU instead of 15; bench/results/scale.md).
    /// </summary>
    private static FormattableString BlobPage(string? repository, string after)
    {
        if (repository is null)
        {
            return $"""
          SELECT u.digest AS "Digest", MAX(u.size) AS "Size",
                 (SELECT COUNT(*) FROM blobs b WHERE b.digest = u.digest) AS "Records",
                 (SELECT COUNT(*) FROM blobs b WHERE b.digest = u.digest AND b.deleting_since IS NOT NULL) AS "Marked"
          FROM (SELECT * FROM (SELECT digest, MAX(size) AS size FROM blob_links WHERE digest > {after} GROUP BY digest ORDER BY digest LIMIT {PageSize}) AS l
                UNION ALL
                SELECT * FROM (SELECT digest, MAX(size) AS size FROM manifests WHERE digest > {after} GROUP BY digest ORDER BY digest LIMIT {PageSize}) AS m) AS u
          GROUP BY u.digest ORDER BY u.digest LIMIT {PageSize}
          """;
        }

        return $"""
          SELECT u.digest AS "Digest", MAX(u.size) AS "Size",
                 (SELECT COUNT(*) FROM blobs b WHERE b.digest = u.digest) AS "Records",
                 (SELECT COUNT(*) FROM blobs b WHERE b.digest = u.digest AND b.deleting_since IS NOT NULL) AS "Marked"
          FROM (SELECT digest, size FROM blob_links WHERE repository = {repository}
                UNION ALL SELECT digest, size FROM manifests WHERE repository = {repository}) AS u
          WHERE u.digest > {after}
          GROUP BY u.digest ORDER BY u.digest LIMIT {PageSize}
          """;
    }

    private sealed record BlobRow(string Digest, long Size, long Records, long Marked);
}
