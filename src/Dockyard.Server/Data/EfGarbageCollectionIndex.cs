using Dockyard.Registry;
using Dockyard.Registry.Maintenance;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Data;

/// <summary>
/// <see cref="IGarbageCollectionIndex"/> over EF Core. Finds are plain queries; every delete first takes the blob
/// record's row lock with a conditional update (<c>… WHERE last_seen_at &lt; cutoff</c>), so it serializes with a push
/// that marks the same blob as seen (SQLite: transactions are serialized anyway; PostgreSQL: the row lock, and each
/// later statement of the transaction sees what the push committed). The SQL is the same on both providers.
/// </summary>
internal sealed class EfGarbageCollectionIndex(IDbContextFactory<DockyardDbContext> contexts) : IGarbageCollectionIndex
{
    /// <summary>
    /// Blob records for linked blobs and manifest bodies that have none; also run by the migration that adds the table
    /// (the semicolon ends it in the generated schema script, where statements follow one another).
    /// </summary>
    internal const string AdoptUntrackedBlobsSql =
        """
        INSERT INTO blobs (digest, size, created_at, last_seen_at)
        SELECT u.digest, MAX(u.size), MIN(u.created_at), MAX(u.created_at)
        FROM (SELECT digest, size, created_at FROM blob_links UNION ALL SELECT digest, size, created_at FROM manifests) AS u
        WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.digest = u.digest)
        GROUP BY u.digest
        ON CONFLICT (digest) DO NOTHING;
        """;

    public async Task<int> AdoptUntrackedBlobsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.ExecuteSqlRawAsync(
            AdoptUntrackedBlobsSql,
            cancellationToken);
    }

    public async Task<IReadOnlyList<ManifestCandidate>> FindUntaggedManifestsAsync(
        DateTimeOffset createdBefore,
        DateTimeOffset seenBefore,
        ManifestCandidate? after,
        int limit,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Manifests.AsNoTracking().Where(m =>
            m.CreatedAt < createdBefore
            && !db.Tags.Any(t => t.Repository == m.Repository && t.ManifestDigest == m.Digest)
            && !db.ManifestReferences.Any(r => r.Repository == m.Repository && r.ChildDigest == m.Digest)
            && (m.Subject == null || !db.Manifests.Any(s => s.Repository == m.Repository && s.Digest == m.Subject))
            && db.Blobs.Any(b => b.Digest == m.Digest && b.DeletingSince == null && b.LastSeenAt < seenBefore));
        if (after is not null)
        {
            var repository = after.Repository.Value;
            var digest = after.Digest.Value;
            query = query.Where(m => m.Repository.CompareTo(repository) > 0 || (m.Repository == repository && m.Digest.CompareTo(digest) > 0));
        }

        var rows = await query.OrderBy(m => m.Repository).ThenBy(m => m.Digest).Take(limit)
            .Select(m => new { m.Repository, m.Digest, m.Size }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ManifestCandidate(RepositoryName.Parse(r.Repository), Digest.Parse(r.Digest), r.Size))];
    }

    public async Task<bool> DeleteUntaggedManifestAsync(
        ManifestCandidate manifest,
        DateTimeOffset createdBefore,
        DateTimeOffset seenBefore,
        Func<CancellationToken, Task> beforeCommit,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var name = manifest.Repository.Value;
        var digest = manifest.Digest.Value;
        if (!await LockIfUnseenAsync(db, digest, seenBefore, cancellationToken))
        {
            return false;
        }

        var deleted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM manifests WHERE repository = {name} AND digest = {digest} AND created_at < {createdBefore.UtcTicks}
            AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.repository = {name} AND t.manifest_digest = {digest})
            AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.repository = {name} AND r.child_digest = {digest})
            AND (subject IS NULL OR NOT EXISTS (SELECT 1 FROM manifests s WHERE s.repository = {name} AND s.digest = manifests.subject))
            """,
            cancellationToken);
        if (deleted == 0)
        {
            return false;
        }

        await db.ManifestReferences.Where(r => r.Repository == name && r.ManifestDigest == digest).ExecuteDeleteAsync(cancellationToken);
        await beforeCommit(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<BlobLinkCandidate>> FindUnreferencedLinksAsync(DateTimeOffset seenBefore, BlobLinkCandidate? after, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query =
            from l in db.BlobLinks.AsNoTracking()
            join b in db.Blobs.AsNoTracking() on l.Digest equals b.Digest
            where b.DeletingSince == null && b.LastSeenAt < seenBefore
                  && !db.ManifestReferences.Any(r => r.Repository == l.Repository && r.ChildDigest == l.Digest)
            select l;
        if (after is not null)
        {
            var repository = after.Repository.Value;
            var digest = after.Digest.Value;
            query = query.Where(l => l.Repository.CompareTo(repository) > 0 || (l.Repository == repository && l.Digest.CompareTo(digest) > 0));
        }

        var rows = await query.OrderBy(l => l.Repository).ThenBy(l => l.Digest).Take(limit)
            .Select(l => new { l.Repository, l.Digest }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new BlobLinkCandidate(RepositoryName.Parse(r.Repository), Digest.Parse(r.Digest)))];
    }

    public async Task<IReadOnlyList<BlobLinkCandidate>> DeleteUnreferencedLinksAsync(IReadOnlyList<BlobLinkCandidate> links, DateTimeOffset seenBefore, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = new List<BlobLinkCandidate>();
        foreach (var link in links)
        {
            var name = link.Repository.Value;
            var digest = link.Digest.Value;
            if (await LockIfUnseenAsync(db, digest, seenBefore, cancellationToken)
                && await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""
                    DELETE FROM blob_links WHERE repository = {name} AND digest = {digest}
                    AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.repository = {name} AND r.child_digest = {digest})
                    """,
                    cancellationToken) > 0)
            {
                deleted.Add(link);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<IReadOnlyList<BlobCandidate>> FindUnreferencedBlobsAsync(DateTimeOffset seenBefore, DateTimeOffset markedBefore, Digest? after, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var start = after?.Value ?? string.Empty;
        var rows = await db.Blobs.AsNoTracking()
            .Where(b => b.Digest.CompareTo(start) > 0
                        && ((b.DeletingSince == null && b.LastSeenAt < seenBefore
                             && !db.Manifests.Any(m => m.Digest == b.Digest)
                             && !db.ManifestReferences.Any(r => r.ChildDigest == b.Digest))
                            || (b.DeletingSince != null && b.DeletingSince < markedBefore)))
            .OrderBy(b => b.Digest).Take(limit)
            .Select(b => new { b.Digest, b.Size })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new BlobCandidate(Digest.Parse(r.Digest), r.Size))];
    }

    public async Task<IReadOnlyList<BlobCandidate>> MarkBlobsAsync(
        IReadOnlyList<BlobCandidate> blobs,
        DateTimeOffset seenBefore,
        DateTimeOffset markedBefore,
        DateTimeOffset mark,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var marked = new List<BlobCandidate>();
        foreach (var blob in blobs)
        {
            var digest = blob.Digest.Value;
            var updated = await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                UPDATE blobs SET deleting_since = {mark.UtcTicks} WHERE digest = {digest} AND (
                  (deleting_since IS NULL AND last_seen_at < {seenBefore.UtcTicks}
                   AND NOT EXISTS (SELECT 1 FROM manifests m WHERE m.digest = {digest})
                   AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.child_digest = {digest}))
                  OR (deleting_since IS NOT NULL AND deleting_since < {markedBefore.UtcTicks}))
                """,
                cancellationToken);
            if (updated > 0)
            {
                // Links left behind by a repository that never referenced it: the bytes are going, so are they.
                await db.BlobLinks.Where(l => l.Digest == digest).ExecuteDeleteAsync(cancellationToken);
                marked.Add(blob);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return marked;
    }

    public async Task<int> ForgetBlobsAsync(IReadOnlyList<BlobCandidate> blobs, DateTimeOffset mark, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var forgotten = 0;
        foreach (var blob in blobs)
        {
            forgotten += await db.Database.ExecuteSqlInterpolatedAsync(
                $"DELETE FROM blobs WHERE digest = {blob.Digest.Value} AND deleting_since = {mark.UtcTicks}",
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return forgotten;
    }

    public async Task<IReadOnlyList<Digest>> FindDependentsAsync(IReadOnlyList<ManifestCandidate> manifests, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var dependents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in manifests.GroupBy(m => m.Repository.Value, StringComparer.Ordinal))
        {
            // Both are index range scans within the repository: (repository, manifest_digest, …) and (repository, subject).
            var name = group.Key;
            var digests = group.Select(m => m.Digest.Value).ToArray();
            var named = db.ManifestReferences.AsNoTracking().Where(r => r.Repository == name && digests.Contains(r.ManifestDigest)).Select(r => r.ChildDigest);
            var referrers = db.Manifests.AsNoTracking().Where(m => m.Repository == name && m.Subject != null && digests.Contains(m.Subject!)).Select(m => m.Digest);
            dependents.UnionWith(await named.Concat(referrers).ToListAsync(cancellationToken));
        }

        return [.. dependents.Select(Digest.Parse)];
    }

    public async Task<IReadOnlyList<BlobHolders>> FindHoldersAsync(IReadOnlyCollection<Digest> digests, DateTimeOffset seenBefore, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var wanted = digests.Select(d => d.Value).ToArray();
        var records = await db.Blobs.AsNoTracking()
            .Where(b => wanted.Contains(b.Digest) && b.DeletingSince == null && b.LastSeenAt < seenBefore)
            .Select(b => new { b.Digest, b.Size })
            .ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            return [];
        }

        var held = records.Select(r => r.Digest).ToArray();
        var manifests = (await db.Manifests.AsNoTracking().Where(m => held.Contains(m.Digest))
            .Select(m => new
            {
                m.Repository,
                m.Digest,
                m.CreatedAt,
                m.Subject,
                Tagged = db.Tags.Any(t => t.Repository == m.Repository && t.ManifestDigest == m.Digest),
                SubjectPresent = m.Subject != null && db.Manifests.Any(s => s.Repository == m.Repository && s.Digest == m.Subject),
            })
            .ToListAsync(cancellationToken))
            .ToLookup(m => m.Digest, m => new HoldingManifest(RepositoryName.Parse(m.Repository), m.CreatedAt, m.Tagged, m.Subject is null ? null : Digest.Parse(m.Subject), m.SubjectPresent), StringComparer.Ordinal);
        var references = (await db.ManifestReferences.AsNoTracking().Where(r => held.Contains(r.ChildDigest))
            .Select(r => new { r.Repository, r.ManifestDigest, r.ChildDigest })
            .ToListAsync(cancellationToken))
            .ToLookup(r => r.ChildDigest, r => new HoldingReference(RepositoryName.Parse(r.Repository), Digest.Parse(r.ManifestDigest)), StringComparer.Ordinal);
        var links = (await db.BlobLinks.AsNoTracking().Where(l => held.Contains(l.Digest))
            .Select(l => new { l.Repository, l.Digest })
            .ToListAsync(cancellationToken))
            .ToLookup(l => l.Digest, l => RepositoryName.Parse(l.Repository), StringComparer.Ordinal);
        return [.. records.Select(r => new BlobHolders(Digest.Parse(r.Digest), r.Size, [.. manifests[r.Digest]], [.. references[r.Digest]], [.. links[r.Digest]]))];
    }

    /// <summary>Takes the blob record's row lock if it is unmarked and was last seen before the cutoff; false otherwise.</summary>
    private static async Task<bool> LockIfUnseenAsync(DockyardDbContext db, string digest, DateTimeOffset seenBefore, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE blobs SET last_seen_at = last_seen_at WHERE digest = {digest} AND deleting_since IS NULL AND last_seen_at < {seenBefore.UtcTicks}",
            cancellationToken) > 0;
}
