using System.Text;
using Dockyard.Registry.Coordination;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Events;
using Dockyard.Registry.Manifests;
using Dockyard.Registry.Metadata;
using Dockyard.Registry.Policies;
using Dockyard.Registry.Storage;
using Microsoft.Extensions.Options;

namespace Dockyard.Registry.Content;

/// <summary>Manifests and tags: validated push, pull by tag or digest, delete.</summary>
public sealed class ManifestService(
    IStorageDriver storage,
    IBlobIndex blobIndex,
    IManifestIndex manifestIndex,
    ITagIndex tagIndex,
    IRegistryEventSink events,
    IRegistryLocks locks,
    TimeProvider time,
    IOptions<RegistryOptions> options,
    IRegistryWritePolicy policy,
    ManifestBodyCache bodies)
{
    private readonly RegistryOptions _options = options.Value;

    /// <summary>
    /// Validates and stores a manifest. The body is parsed, its digest checked against a digest reference,
    /// every blob and child manifest it names must already be in the repository, and only then is it
    /// written (body first, durably; index second) and, for a tag reference, tagged.
    /// </summary>
    public async Task<ManifestRecord> PutAsync(
        RepositoryName repository,
        Reference reference,
        ReadOnlyMemory<byte> body,
        string? contentType,
        CancellationToken cancellationToken)
    {
        if (body.Length > _options.MaxManifestBytes)
        {
            throw new RegistryException(
                RegistryErrorCode.ManifestTooLarge,
                $"Manifest is larger than the {_options.MaxManifestBytes} byte limit.",
                new { limit = _options.MaxManifestBytes });
        }

        var parsed = ManifestParser.Parse(body.Span, contentType);
        var digest = Digest.Compute(body.Span, reference.Digest?.Algorithm ?? DigestAlgorithm.Sha256);
        if (reference.Digest is { } claimed && claimed != digest)
        {
            throw new RegistryException(
                RegistryErrorCode.DigestInvalid,
                "The manifest body does not match the digest in the URL.",
                new { expected = claimed.Value, actual = digest.Value });
        }

        var blobs = parsed.ReferencedBlobs().Select(d => d.Digest).Distinct().ToArray();
        var present = await blobIndex.FindBlobsAsync(repository, blobs, cancellationToken);
        foreach (var blob in blobs)
        {
            if (!present.Contains(blob))
            {
                throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "The manifest references a blob this repository does not have.", new { digest = blob.Value });
            }
        }

        var children = parsed.Manifests.Select(d => d.Digest).Distinct().ToArray();
        var presentChildren = children.Length == 0 ? (IReadOnlySet<Digest>)new HashSet<Digest>() : await manifestIndex.FindManifestsAsync(repository, children, cancellationToken);
        foreach (var child in children)
        {
            if (!presentChildren.Contains(child))
            {
                throw new RegistryException(RegistryErrorCode.ManifestReferenceUnknown, "The index references a manifest this repository does not have.", new { digest = child.Value });
            }
        }

        // Garbage-collection protocol: reserve the manifest's digest before relying on its bytes being stored.
        await BlobReservation.ReserveAsync(blobIndex, time, digest, body.Length, cancellationToken);

        // The quota lease is held until the manifest row is committed, so admissions against one limit are serial.
        // Lock order, everywhere: upload session, then quota (quota:<org>), then tag (tag:<repo>:<tag>, or the index's
        // advisory locks: manifest, then tags). Tag deletes take no quota lock, and nothing takes the quota lock while
        // holding a tag lock, so these waits can never form a cycle.
        await using var admitted = await policy.AdmitContentAsync(repository, digest, body.Length, cancellationToken);
        var blobPath = StoragePaths.Blob(digest);
        if (await storage.StatAsync(blobPath, cancellationToken) is null)
        {
            await storage.PutContentAsync(blobPath, body, cancellationToken);
        }

        // Storage links let the index be rebuilt from storage alone. The manifest link may precede the row (a crash
        // in between leaves a valid, stored manifest that reindex restores). The tag row and the tag link are
        // written under a per-tag lock, row first, so concurrent pushes of one tag leave link and row agreeing on the
        // last writer without holding the database's write lock across an fsync (on SQLite that lock is global).
        // The lock is IRegistryLocks (a database lease when replicas share a SQLite-indexed store); an index that
        // serializes tag writes itself (ITagIndex.SerializesTagWrites, PostgreSQL advisory locks) gets the link
        // write inside its transaction instead.
        var manifestLink = StoragePaths.ManifestLink(repository, digest);
        var mediaType = Encoding.UTF8.GetBytes(parsed.MediaType);
        if (await storage.GetContentAsync(manifestLink, cancellationToken) is not { } stored || !stored.AsSpan().SequenceEqual(mediaType))
        {
            // Pushing the same manifest again (under another tag) finds its link already durable: no rewrite, no fsyncs.
            await storage.PutContentAsync(manifestLink, mediaType, cancellationToken);
        }

        var record = ManifestRecord.Create(parsed, digest, body.Length, time.GetUtcNow());

        // Recorded by the index in the transaction that stores the manifest, so it is delivered even if this process
        // dies right after answering.
        var pushed = new ManifestPushed
        {
            Repository = repository,
            OccurredAt = record.CreatedAt,
            Digest = digest,
            MediaType = record.MediaType,
            Size = record.Size,
            Tag = reference.Tag,
        };

        // A delete of this manifest (or gc of it untagged) that committed between the link write above and the row
        // transaction took the link with it. Looked at inside the transaction, after the row insert: deletes of the row
        // are excluded until commit (SQLite's write lock, the manifest's advisory lock or row lock on PostgreSQL), so
        // a link missing here is written again and the row never commits without its link.
        async Task EnsureManifestLinkAsync(CancellationToken ct)
        {
            if (await storage.StatAsync(manifestLink, ct) is null)
            {
                await storage.PutContentAsync(manifestLink, mediaType, ct);
            }
        }

        if (tagIndex.SerializesTagWrites && reference.Tag is { } sharedTag)
        {
            // The index re-checks the references inside its transaction: a blob garbage-collected since the checks above
            // fails the push here rather than leaving a manifest that points at deleted bytes. The immutability check runs
            // inside the transaction too, after the tag's lock is taken, and reads the last committed target.
            var link = StoragePaths.TagLink(repository, sharedTag);
            var target = Encoding.UTF8.GetBytes(digest.Value);
            async Task CheckAndLinkAsync(CancellationToken ct)
            {
                await EnsureManifestLinkAsync(ct);
                await CheckOverwriteAsync(repository, sharedTag, digest, ct);
                await storage.PutContentAsync(link, target, ct);
            }

            ThrowIfMissing(await manifestIndex.PutManifestAsync(repository, record, [.. blobs, .. children], sharedTag, verifyReferences: true, CheckAndLinkAsync, pushed, cancellationToken), digest, children);
        }
        else
        {
            await using var held = reference.Tag is { } lockedTag ? await locks.AcquireAsync(TagLockKey(repository, lockedTag), cancellationToken) : null;
            if (reference.Tag is { } guarded)
            {
                await CheckOverwriteAsync(repository, guarded, digest, cancellationToken);
            }

            ThrowIfMissing(await manifestIndex.PutManifestAsync(repository, record, [.. blobs, .. children], reference.Tag, verifyReferences: true, EnsureManifestLinkAsync, pushed, cancellationToken), digest, children);
            if (reference.Tag is { } tag)
            {
                await storage.PutContentAsync(StoragePaths.TagLink(repository, tag), Encoding.UTF8.GetBytes(digest.Value), cancellationToken);
            }
        }

        bodies.Add(digest, body.ToArray());
        events.PublishRecorded(pushed);
        return record;
    }

    /// <summary>Looks a manifest up by tag or digest from the index alone (enough for HEAD).</summary>
    public async Task<ManifestRecord> ResolveAsync(RepositoryName repository, Reference reference, CancellationToken cancellationToken)
    {
        var record = reference.IsTag
            ? await tagIndex.ResolveTagAsync(repository, reference.Tag, cancellationToken)
            : await manifestIndex.GetManifestAsync(repository, reference.Digest!.Value, cancellationToken);
        return record ?? throw Unknown(reference);
    }

    /// <summary>
    /// A resolved manifest's whole body (small by contract: at most <see cref="RegistryOptions.MaxManifestBytes"/>),
    /// from <see cref="ManifestBodyCache"/> or storage, and raises a pull event. The array is shared: do not change it.
    /// </summary>
    public async Task<byte[]> ReadAsync(RepositoryName repository, Reference reference, ManifestRecord record, CancellationToken cancellationToken)
    {
        if (!bodies.TryGet(record.Digest, out var body))
        {
            body = await ReadStoredAsync(reference, record, cancellationToken);
            // Kept only when the bytes hash to their digest: storage is not trusted to be intact, and a cached
            // corrupt body would be served long after the stored copy was repaired.
            if (Digest.Compute(body, record.Digest.Algorithm) == record.Digest)
            {
                bodies.Add(record.Digest, body);
            }
        }

        events.Publish(new ManifestPulled { Repository = repository, OccurredAt = time.GetUtcNow(), Digest = record.Digest, Tag = reference.Tag });
        return body;
    }

    private async Task<byte[]> ReadStoredAsync(Reference reference, ManifestRecord record, CancellationToken cancellationToken)
    {
        if (record.Size > _options.MaxManifestBytes)
        {
            // Not stored by a push (the limit is checked there); refused rather than read into memory.
            throw new InvalidDataException($"The stored manifest {record.Digest.Value} is {record.Size} bytes, over the {_options.MaxManifestBytes} byte limit.");
        }

        await using var stream = await storage.OpenReadAsync(StoragePaths.Blob(record.Digest), 0, cancellationToken) ?? throw Unknown(reference);

        var body = new byte[record.Size];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return body;
    }

    /// <summary>Deletes a manifest (by digest, with its tags) or just a tag (by tag).</summary>
    public async Task DeleteAsync(RepositoryName repository, Reference reference, CancellationToken cancellationToken)
    {
        if (reference.IsTag)
        {
            var tagDeleted = new TagDeleted { Repository = repository, OccurredAt = time.GetUtcNow(), Tag = reference.Tag };
            await using (tagIndex.SerializesTagWrites ? null : await locks.AcquireAsync(TagLockKey(repository, reference.Tag), cancellationToken))
            {
                var tagLink = StoragePaths.TagLink(repository, reference.Tag);
                async Task DeleteTagLinkAsync(CancellationToken ct)
                {
                    // Inside the index transaction, which has just removed the row: a refusal rolls it back.
                    if (await policy.CheckTagChangeAsync(repository, reference.Tag, TagChange.Delete, ct) is { } denied)
                    {
                        throw denied;
                    }

                    await storage.DeleteAsync(tagLink, ct);
                }

                if (!await tagIndex.DeleteTagAsync(repository, reference.Tag, DeleteTagLinkAsync, tagDeleted, cancellationToken))
                {
                    throw Unknown(reference);
                }
            }

            events.PublishRecorded(tagDeleted);
            return;
        }

        var digest = reference.Digest!.Value;
        async Task DeleteLinksAsync(IReadOnlyList<string> tags, CancellationToken ct)
        {
            foreach (var tag in tags)
            {
                if (await policy.CheckTagChangeAsync(repository, tag, TagChange.Delete, ct) is { } denied)
                {
                    throw denied;
                }
            }

            foreach (var tag in tags)
            {
                await storage.DeleteAsync(StoragePaths.TagLink(repository, tag), ct);
            }

            await storage.DeleteAsync(StoragePaths.ManifestLink(repository, digest), ct);
        }

        var deleted = new ManifestDeleted { Repository = repository, OccurredAt = time.GetUtcNow(), Digest = digest };
        if (!await manifestIndex.DeleteManifestAsync(repository, digest, DeleteLinksAsync, deleted, cancellationToken))
        {
            throw Unknown(reference);
        }

        // Only memory: the index no longer names it, so it would not be served anyway (see ManifestBodyCache).
        bodies.Remove(digest);

        events.PublishRecorded(deleted);
    }

    private static void ThrowIfMissing(IReadOnlyList<Digest> missing, Digest digest, Digest[] children)
    {
        if (missing.Count == 0)
        {
            return;
        }

        throw missing[0] == digest ? BlobReservation.Collecting(digest)
            : children.Contains(missing[0]) ? new RegistryException(RegistryErrorCode.ManifestReferenceUnknown, "The index references a manifest this repository does not have.", new { digest = missing[0].Value })
            : new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "The manifest references a blob this repository does not have.", new { digest = missing[0].Value });
    }

    /// <summary>
    /// Under the tag's lock (every writer of the tag holds it), so the tag cannot move between this look and the
    /// write. The index is asked only when a policy guards the tag, which keeps ordinary pushes at one query.
    /// </summary>
    private async Task CheckOverwriteAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken)
    {
        if (await policy.CheckTagChangeAsync(repository, tag, TagChange.Overwrite, cancellationToken) is not { } denied)
        {
            return;
        }

        if (await tagIndex.ResolveTagAsync(repository, tag, cancellationToken) is { } current && current.Digest != digest)
        {
            throw denied;
        }
    }

    private static string TagLockKey(RepositoryName repository, string tag) => $"tag:{repository.Value}:{tag}";

    private static RegistryException Unknown(Reference reference) =>
        new(RegistryErrorCode.ManifestUnknown, "Manifest unknown to this repository.", new { reference = reference.ToString() });
}
