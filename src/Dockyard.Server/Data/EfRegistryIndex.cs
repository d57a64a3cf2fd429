using Dockyard.Registry;
using Dockyard.Registry.Events;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Data;

/// <summary>
/// <see cref="IRegistryIndex"/> over EF Core. A singleton that rents a pooled context per call, so the
/// registry's singleton services can use it. Writes that must be idempotent under concurrency use
/// <c>INSERT … ON CONFLICT</c>, which SQLite and PostgreSQL spell the same way.
/// On PostgreSQL, where replicas write concurrently, manifest and tag writes take transaction-scoped advisory locks
/// (<see cref="DockyardDbContext.LockAsync"/>) in one global order — the manifest, then its tags in ordinal order — so
/// a tag's row and its storage link (written in <c>beforeCommit</c>) change in the same order on every replica.
/// On SQLite those locks are no-ops (its write transactions already exclude each other) and the caller keeps its
/// per-tag <c>IRegistryLocks</c> lock instead (<see cref="SerializesTagWrites"/>).
/// A write given an <c>outboxEvent</c> inserts its <c>registry_outbox</c> row last, just before commit; on PostgreSQL it
/// first takes <see cref="DatabaseLockKeys.RegistryOutbox"/>, so outbox ids become visible in id order (the event
/// dispatcher's cursor relies on that) while the lock is held only for the commit itself.
/// Every write runs as a unit of <see cref="GroupCommit"/>: on SQLite the writes of concurrent requests share one
/// transaction and one commit; each method returns only after its unit's commit.
/// </summary>
internal sealed class EfRegistryIndex(
    IDbContextFactory<DockyardDbContext> contexts,
    GroupCommit writes,
    IOptions<DatabaseOptions> options,
    TimeProvider time,
    IRegistryOutboxSerializer outbox,
    IEnumerable<IRepositoryCreationObserver> creationObservers,
    SqliteTagReader sqliteTags) : IRegistryIndex
{
    private readonly bool _sharedLocks = options.Value.Provider == DatabaseProvider.Postgres;
    private readonly bool _sqlite = options.Value.Provider == DatabaseProvider.Sqlite;
    private readonly IRepositoryCreationObserver[] _creationObservers = [.. creationObservers];

    // Compiled per instance, not static: a compiled query is bound to the first model it runs against and throws
    // on another, and each provider has its own model (tests run SQLite and PostgreSQL apps in one process).
    private readonly Func<DockyardDbContext, string, string, CancellationToken, Task<ManifestEntity?>> _resolveTagQuery =
        EF.CompileAsyncQuery((DockyardDbContext db, string repository, string tag, CancellationToken _) =>
            (from t in db.Tags
             where t.Repository == repository && t.Name == tag
             join m in db.Manifests on new { t.Repository, Digest = t.ManifestDigest } equals new { m.Repository, m.Digest }
             select m).AsNoTracking().FirstOrDefault());

    private readonly Func<DockyardDbContext, string, string, CancellationToken, Task<ManifestEntity?>> _manifestQuery =
        EF.CompileAsyncQuery((DockyardDbContext db, string repository, string digest, CancellationToken _) =>
            db.Manifests.AsNoTracking().FirstOrDefault(m => m.Repository == repository && m.Digest == digest));

    // The link with its blob record's last-seen time: blob HEAD and GET decide from this one read whether to refresh.
    private readonly Func<DockyardDbContext, string, string, CancellationToken, Task<LinkedBlob?>> _linkedBlobQuery =
        EF.CompileAsyncQuery((DockyardDbContext db, string repository, string digest, CancellationToken _) =>
            (from l in db.BlobLinks
             where l.Repository == repository && l.Digest == digest
             join b in db.Blobs on l.Digest equals b.Digest into records
             from b in records.DefaultIfEmpty()
             select (LinkedBlob?)new LinkedBlob(l.Size, b == null ? null : (DateTimeOffset?)b.LastSeenAt)).FirstOrDefault());

    public bool SerializesTagWrites => _sharedLocks;

    public async Task<LinkedBlob?> FindBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await _linkedBlobQuery(db, repository.Value, digest.Value, cancellationToken);
    }

    public async Task<bool> RefreshBlobAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        // One statement. The link must still exist: a collection's mark removes the links in its transaction, and once
        // it has forgotten the record an insert would otherwise resurrect deleted bytes. A marked record (the conflict
        // case) is left alone: on PostgreSQL the update waits for the mark's row lock and re-checks the condition.
        // The insert covers blobs indexed before records existed.
        var now = time.GetUtcNow().UtcTicks;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO blobs (digest, size, created_at, last_seen_at)
            SELECT {digest.Value}, {size}, {now}, {now}
            WHERE EXISTS (SELECT 1 FROM blob_links l WHERE l.repository = {repository.Value} AND l.digest = {digest.Value})
            ON CONFLICT (digest) DO UPDATE SET last_seen_at = excluded.last_seen_at WHERE blobs.deleting_since IS NULL
            """,
            cancellationToken) > 0;
    }

    public async Task<bool> LinkBlobAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        var (linked, created) = await writes.RunAsync(
            async (db, ct) =>
            {
                var now = time.GetUtcNow();
                if (await SeeBlobAsync(db, digest, size, now, ct) == 0)
                {
                    return (false, false);
                }

                var created = await EnsureRepositoryAsync(db, repository, now, ct);
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO blob_links (repository, digest, size, created_at) VALUES ({repository.Value}, {digest.Value}, {size}, {now.UtcTicks}) ON CONFLICT (repository, digest) DO NOTHING",
                    ct);
                return (true, created);
            },
            cancellationToken);
        await ReportCreatedAsync(created, repository, cancellationToken);
        return linked;
    }

    public Task<bool> ReserveBlobAsync(Digest digest, long size, DateTimeOffset abandonedBefore, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                var now = time.GetUtcNow();
                return await SeeBlobAsync(db, digest, size, now, ct) > 0
                    || await db.Database.ExecuteSqlInterpolatedAsync(
                        $"UPDATE blobs SET deleting_since = NULL, last_seen_at = {now.UtcTicks} WHERE digest = {digest.Value} AND deleting_since < {abandonedBefore.UtcTicks}",
                        ct) > 0;
            },
            cancellationToken);

    public Task<bool> UnlinkBlobAsync(RepositoryName repository, Digest digest, RegistryEvent? outboxEvent, CancellationToken cancellationToken) =>
        writes.RunAsync(
            async (db, ct) =>
            {
                if (await db.BlobLinks.Where(b => b.Repository == repository.Value && b.Digest == digest.Value).ExecuteDeleteAsync(ct) == 0)
                {
                    return false;
                }

                await RecordAsync(db, outboxEvent, ct);
                return true;
            },
            cancellationToken);

    public async Task<ManifestRecord?> GetManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return ToRecord(await _manifestQuery(db, repository.Value, digest.Value, cancellationToken));
    }

    public async Task<ManifestRecord?> ResolveTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        // Every pull by tag: on SQLite a prepared statement on a kept-open connection, still a read of the database.
        if (_sqlite)
        {
            return sqliteTags.Resolve(repository.Value, tag);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return ToRecord(await _resolveTagQuery(db, repository.Value, tag, cancellationToken));
    }

    public async Task<IReadOnlySet<Digest>> FindManifestsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var wanted = digests.Select(d => d.Value).ToArray();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.Manifests.AsNoTracking()
            .Where(m => m.Repository == repository.Value && wanted.Contains(m.Digest))
            .Select(m => m.Digest)
            .ToListAsync(cancellationToken);
        return found.Select(Digest.Parse).ToHashSet();
    }

    public async Task<IReadOnlySet<Digest>> FindBlobsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var wanted = digests.Select(d => d.Value).ToArray();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.BlobLinks.AsNoTracking()
            .Where(b => b.Repository == repository.Value && wanted.Contains(b.Digest))
            .Select(b => b.Digest)
            .ToListAsync(cancellationToken);
        return found.Select(Digest.Parse).ToHashSet();
    }

    public async Task<IReadOnlyList<Digest>> PutManifestAsync(
        RepositoryName repository,
        ManifestRecord manifest,
        IReadOnlyList<Digest> references,
        string? tag,
        bool verifyReferences,
        Func<CancellationToken, Task>? beforeCommit,
        RegistryEvent? outboxEvent,
        CancellationToken cancellationToken)
    {
        var (missing, created) = await writes.RunAsync((db, ct) => PutManifestUnitAsync(db, repository, manifest, references, tag, verifyReferences, beforeCommit, outboxEvent, ct), cancellationToken);
        await ReportCreatedAsync(created, repository, cancellationToken);
        return missing;
    }

    /// <summary>Returns what is missing (the unit then rolls back) or nothing, and whether the repository's row was inserted.</summary>
    private async Task<(IReadOnlyList<Digest> Missing, bool Created)> PutManifestUnitAsync(
        DockyardDbContext db,
        RepositoryName repository,
        ManifestRecord manifest,
        IReadOnlyList<Digest> references,
        string? tag,
        bool verifyReferences,
        Func<CancellationToken, Task>? beforeCommit,
        RegistryEvent? outboxEvent,
        CancellationToken cancellationToken)
    {
        var name = repository.Value;
        var digest = manifest.Digest.Value;
        var subject = manifest.Subject?.Value;
        if (_sharedLocks)
        {
            long[] keys = tag is null
                ? [DatabaseLockKeys.Manifest(name, digest)]
                : [DatabaseLockKeys.Manifest(name, digest), DatabaseLockKeys.Tag(name, tag)];
            await db.LockAsync(keys, cancellationToken);
        }

        // Garbage-collection protocol: mark the manifest and everything it names as seen before adding the references,
        // under each blob record's row lock. A blob a collection has marked for deletion cannot be referenced.
        var now = time.GetUtcNow();
        var missing = new List<Digest>();
        if (await SeeBlobAsync(db, manifest.Digest, manifest.Size, now, cancellationToken) == 0)
        {
            missing.Add(manifest.Digest);
        }

        // Ordinal order: concurrent transactions take the blob rows' locks in the same order (no deadlock on PostgreSQL).
        var distinct = references.Distinct().OrderBy(d => d.Value, StringComparer.Ordinal).ToArray();
        foreach (var reference in distinct)
        {
            var seen = await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE blobs SET last_seen_at = {now.UtcTicks} WHERE digest = {reference.Value} AND deleting_since IS NULL",
                cancellationToken);
            if (seen == 0)
            {
                missing.Add(reference);
            }
        }

        if (verifyReferences)
        {
            var wanted = distinct.Where(d => !missing.Contains(d)).Select(d => d.Value).ToArray();
            var held = await db.BlobLinks.AsNoTracking().Where(b => b.Repository == name && wanted.Contains(b.Digest)).Select(b => b.Digest)
                .Concat(db.Manifests.AsNoTracking().Where(m => m.Repository == name && wanted.Contains(m.Digest)).Select(m => m.Digest))
                .ToListAsync(cancellationToken);
            missing.AddRange(wanted.Except(held, StringComparer.Ordinal).Select(Digest.Parse));
            if (missing.Count > 0)
            {
                throw new GroupCommit.RollBack((Missing: (IReadOnlyList<Digest>)missing, Created: false));
            }
        }

        var created = await EnsureRepositoryAsync(db, repository, manifest.CreatedAt, cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO manifests (repository, digest, media_type, size, artifact_type, subject, annotations, created_at)
            VALUES ({name}, {digest}, {manifest.MediaType}, {manifest.Size}, {manifest.ArtifactType}, {subject}, {manifest.AnnotationsJson}, {manifest.CreatedAt.UtcTicks})
            ON CONFLICT (repository, digest) DO NOTHING
            """,
            cancellationToken);
        foreach (var child in distinct)
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO manifest_references (repository, manifest_digest, child_digest) VALUES ({name}, {digest}, {child.Value}) ON CONFLICT DO NOTHING",
                cancellationToken);
        }

        if (tag is not null)
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO tags (repository, name, manifest_digest, updated_at) VALUES ({name}, {tag}, {digest}, {manifest.CreatedAt.UtcTicks})
                ON CONFLICT (repository, name) DO UPDATE SET manifest_digest = excluded.manifest_digest, updated_at = excluded.updated_at
                """,
                cancellationToken);
        }

        if (beforeCommit is not null)
        {
            await beforeCommit(cancellationToken);
        }

        await RecordAsync(db, outboxEvent, cancellationToken);
        return ([], created);
    }

    public Task<bool> DeleteManifestAsync(
        RepositoryName repository,
        Digest digest,
        Func<IReadOnlyList<string>, CancellationToken, Task>? beforeCommit,
        RegistryEvent? outboxEvent,
        CancellationToken cancellationToken) =>
        writes.RunAsync((db, ct) => DeleteManifestUnitAsync(db, repository, digest, beforeCommit, outboxEvent, ct), cancellationToken);

    private async Task<bool> DeleteManifestUnitAsync(
        DockyardDbContext db,
        RepositoryName repository,
        Digest digest,
        Func<IReadOnlyList<string>, CancellationToken, Task>? beforeCommit,
        RegistryEvent? outboxEvent,
        CancellationToken cancellationToken)
    {
        var name = repository.Value;
        var value = digest.Value;
        if (_sharedLocks)
        {
            // Holding the manifest's lock, no tag can be moved onto it (that takes the same lock first); locking the
            // tags that point at it then keeps them from moving away before they are deleted.
            await db.LockAsync(new[] { DatabaseLockKeys.Manifest(name, value) }, cancellationToken);
            var pointing = await TagsOfAsync(db, name, value, cancellationToken);
            pointing.Sort(StringComparer.Ordinal);
            await db.LockAsync(pointing.Select(t => DatabaseLockKeys.Tag(name, t)).ToArray(), cancellationToken);
        }

        var deleted = await db.Manifests.Where(m => m.Repository == name && m.Digest == value).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return false;
        }

        var tags = await TagsOfAsync(db, name, value, cancellationToken);
        await db.Tags.Where(t => t.Repository == name && t.ManifestDigest == value).ExecuteDeleteAsync(cancellationToken);
        await db.ManifestReferences.Where(r => r.Repository == name && r.ManifestDigest == value).ExecuteDeleteAsync(cancellationToken);
        if (beforeCommit is not null)
        {
            await beforeCommit(tags, cancellationToken);
        }

        await RecordAsync(db, outboxEvent, cancellationToken);
        return true;
    }

    public Task<bool> DeleteTagAsync(RepositoryName repository, string tag, Func<CancellationToken, Task>? beforeCommit, RegistryEvent? outboxEvent, CancellationToken cancellationToken) =>
        writes.RunAsync((db, ct) => DeleteTagUnitAsync(db, repository, tag, beforeCommit, outboxEvent, ct), cancellationToken);

    private async Task<bool> DeleteTagUnitAsync(DockyardDbContext db, RepositoryName repository, string tag, Func<CancellationToken, Task>? beforeCommit, RegistryEvent? outboxEvent, CancellationToken cancellationToken)
    {
        if (_sharedLocks)
        {
            await db.LockAsync(new[] { DatabaseLockKeys.Tag(repository.Value, tag) }, cancellationToken);
        }

        if (await db.Tags.Where(t => t.Repository == repository.Value && t.Name == tag).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }

        if (beforeCommit is not null)
        {
            await beforeCommit(cancellationToken);
        }

        await RecordAsync(db, outboxEvent, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<string>?> ListTagsAsync(RepositoryName repository, string? last, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = repository.Value;
        if (!await db.Repositories.AnyAsync(r => r.Name == name, cancellationToken))
        {
            return null;
        }

        var query = db.Tags.AsNoTracking().Where(t => t.Repository == name);
        if (last is not null)
        {
            query = query.Where(t => t.Name.CompareTo(last) > 0);
        }

        return await query.OrderBy(t => t.Name).Select(t => t.Name).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(string? last, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Repositories.AsNoTracking();
        if (last is not null)
        {
            query = query.Where(r => r.Name.CompareTo(last) > 0);
        }

        return await query.OrderBy(r => r.Name).Select(r => r.Name).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ManifestRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Manifests.AsNoTracking().Where(m => m.Repository == repository.Value && m.Subject == subject.Value);
        if (artifactType is not null)
        {
            query = query.Where(m => m.ArtifactType == artifactType);
        }

        var rows = await query.OrderBy(m => m.Digest).ToListAsync(cancellationToken);
        return rows.Select(r => ToRecord(r)!).ToList();
    }

    /// <summary>Inside the write's transaction, last before its commit: the event's outbox row (see the class remarks).</summary>
    private async Task RecordAsync(DockyardDbContext db, RegistryEvent? outboxEvent, CancellationToken cancellationToken)
    {
        if (outboxEvent is null)
        {
            return;
        }

        await db.LockAsync(new[] { DatabaseLockKeys.RegistryOutbox }, cancellationToken);
        db.RegistryOutbox.Add(outbox.ToOutboxRow(outboxEvent));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static Task<List<string>> TagsOfAsync(DockyardDbContext db, string repository, string digest, CancellationToken cancellationToken) =>
        db.Tags.Where(t => t.Repository == repository && t.ManifestDigest == digest).Select(t => t.Name).ToListAsync(cancellationToken);
    /// <summary>
    /// Creates the blob record or moves its last-seen time to now, unless a collection has marked it for deletion.
    /// Returns 0 when marked. In a transaction, this takes the record's row lock (the protocol's point of serialization).
    /// </summary>
    internal static Task<int> SeeBlobAsync(DockyardDbContext db, Digest digest, long size, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO blobs (digest, size, created_at, last_seen_at) VALUES ({digest.Value}, {size}, {now.UtcTicks}, {now.UtcTicks})
            ON CONFLICT (digest) DO UPDATE SET last_seen_at = excluded.last_seen_at WHERE blobs.deleting_since IS NULL
            """,
            cancellationToken);

    /// <summary>Inserts the repository's row unless it exists; true when this call inserted it.</summary>
    private static async Task<bool> EnsureRepositoryAsync(DockyardDbContext db, RepositoryName repository, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO repositories (name, visibility, created_at) VALUES ({repository.Value}, {nameof(RepositoryVisibility.Private)}, {now.UtcTicks}) ON CONFLICT (name) DO NOTHING",
            cancellationToken) > 0;

    /// <summary>After the commit that inserted a repository's row: tells the observers (the audit trail), once.</summary>
    private async Task ReportCreatedAsync(bool created, RepositoryName repository, CancellationToken cancellationToken)
    {
        if (!created)
        {
            return;
        }

        foreach (var observer in _creationObservers)
        {
            await observer.RepositoryCreatedAsync(repository, cancellationToken);
        }
    }

    private static ManifestRecord? ToRecord(ManifestEntity? entity) => entity is null
        ? null
        : new ManifestRecord
        {
            Digest = Digest.Parse(entity.Digest),
            MediaType = entity.MediaType,
            Size = entity.Size,
            ArtifactType = entity.ArtifactType,
            Subject = entity.Subject is null ? null : Digest.Parse(entity.Subject),
            AnnotationsJson = entity.AnnotationsJson,
            CreatedAt = entity.CreatedAt,
        };
}
