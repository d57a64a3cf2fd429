using System.Text;
using Dockyard.Registry.Coordination;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Events;
using Dockyard.Registry.Manifests;
using Dockyard.Registry.Metadata;
using Dockyard.Registry.Storage;
using Microsoft.Extensions.Options;

namespace Dockyard.Registry.Content;

/// <summary>Manifests and tags: validated push, pull by tag or digest, delete.</summary>
public sealed class ManifestService(
    IStorageDriver storage,
    IRegistryIndex index,
    IRegistryEventSink events,
    IRegistryLocks locks,
    TimeProvider time,
    IOptions<RegistryOptions> options)
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
                RegistryErrorCode.SizeInvalid,
                $"Manifest is larger than the {_options.MaxManifestBytes} byte limit.",
                new { limit = _options.MaxManifestBytes },
                statusOverride: 413);
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
        var present = await index.FindBlobsAsync(repository, blobs, cancellationToken);
        foreach (var blob in blobs)
        {
            if (!present.Contains(blob))
            {
                throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "The manifest references a blob this repository does not have.", new { digest = blob.Value });
            }
        }

        var children = parsed.Manifests.Select(d => d.Digest).Distinct().ToArray();
        var presentChildren = children.Length == 0 ? (IReadOnlySet<Digest>)new HashSet<Digest>() : await index.FindManifestsAsync(repository, children, cancellationToken);
        foreach (var child in children)
        {
            if (!presentChildren.Contains(child))
            {
                throw new RegistryException(RegistryErrorCode.ManifestUnknown, "The index references a manifest this repository does not have.", new { digest = child.Value }, statusOverride: 400);
            }
        }

        // Garbage-collection protocol: reserve the manifest's digest before relying on its bytes being stored.
        await BlobReservation.ReserveAsync(index, time, digest, body.Length, cancellationToken);
        var blobPath = StoragePaths.Blob(digest);
        if (await storage.StatAsync(blobPath, cancellationToken) is null)
        {
            await storage.PutContentAsync(blobPath, body, cancellationToken);
        }

        // Storage links let the index be rebuilt from storage alone. The manifest link may precede the row (a crash
        // in between leaves a valid, stored manifest that reindex restores). The tag row and the tag link are
        // written under a per-tag lock, row first, so concurrent pushes of one tag leave link and row agreeing on the
        // last writer without holding the database's write lock across an fsync (on SQLite that lock is global).
        // With several replicas the lock is a database lease (see IRegistryLocks), so the same holds across processes.
        await storage.PutContentAsync(StoragePaths.ManifestLink(repository, digest), Encoding.UTF8.GetBytes(parsed.MediaType), cancellationToken);
        var record = ManifestRecord.Create(parsed, digest, body.Length, time.GetUtcNow());
        await using (var held = reference.Tag is { } lockedTag ? await locks.AcquireAsync(TagLockKey(repository, lockedTag), cancellationToken) : null)
        {
            // The index re-checks the references inside its transaction: a blob garbage-collected since the checks above
            // fails the push here rather than leaving a manifest that points at deleted bytes.
            var missing = await index.PutManifestAsync(repository, record, [.. blobs, .. children], reference.Tag, verifyReferences: true, beforeCommit: null, cancellationToken);
            if (missing.Count > 0)
            {
                throw missing[0] == digest ? BlobReservation.Collecting(digest)
                    : children.Contains(missing[0]) ? new RegistryException(RegistryErrorCode.ManifestUnknown, "The index references a manifest this repository does not have.", new { digest = missing[0].Value }, statusOverride: 400)
                    : new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "The manifest references a blob this repository does not have.", new { digest = missing[0].Value });
            }

            if (reference.Tag is { } tag)
            {
                await storage.PutContentAsync(StoragePaths.TagLink(repository, tag), Encoding.UTF8.GetBytes(digest.Value), cancellationToken);
            }
        }

        events.Publish(new ManifestPushed
        {
            Repository = repository,
            OccurredAt = record.CreatedAt,
            Digest = digest,
            MediaType = record.MediaType,
            Size = record.Size,
            Tag = reference.Tag,
        });
        return record;
    }

    /// <summary>Looks a manifest up by tag or digest from the index alone (enough for HEAD).</summary>
    public async Task<ManifestRecord> ResolveAsync(RepositoryName repository, Reference reference, CancellationToken cancellationToken)
    {
        var record = reference.IsTag
            ? await index.ResolveTagAsync(repository, reference.Tag, cancellationToken)
            : await index.GetManifestAsync(repository, reference.Digest!.Value, cancellationToken);
        return record ?? throw Unknown(reference);
    }

    /// <summary>Opens a resolved manifest's body for streaming and raises a pull event.</summary>
    public async Task<Stream> OpenAsync(RepositoryName repository, Reference reference, ManifestRecord record, CancellationToken cancellationToken)
    {
        var stream = await storage.OpenReadAsync(StoragePaths.Blob(record.Digest), 0, cancellationToken) ?? throw Unknown(reference);
        events.Publish(new ManifestPulled { Repository = repository, OccurredAt = time.GetUtcNow(), Digest = record.Digest, Tag = reference.Tag });
        return stream;
    }

    /// <summary>Deletes a manifest (by digest, with its tags) or just a tag (by tag).</summary>
    public async Task DeleteAsync(RepositoryName repository, Reference reference, CancellationToken cancellationToken)
    {
        if (reference.IsTag)
        {
            await using (await locks.AcquireAsync(TagLockKey(repository, reference.Tag), cancellationToken))
            {
                var tagLink = StoragePaths.TagLink(repository, reference.Tag);
                if (!await index.DeleteTagAsync(repository, reference.Tag, async ct => await storage.DeleteAsync(tagLink, ct), cancellationToken))
                {
                    throw Unknown(reference);
                }
            }

            events.Publish(new TagDeleted { Repository = repository, OccurredAt = time.GetUtcNow(), Tag = reference.Tag });
            return;
        }

        var digest = reference.Digest!.Value;
        async Task DeleteLinksAsync(IReadOnlyList<string> tags, CancellationToken ct)
        {
            foreach (var tag in tags)
            {
                await storage.DeleteAsync(StoragePaths.TagLink(repository, tag), ct);
            }

            await storage.DeleteAsync(StoragePaths.ManifestLink(repository, digest), ct);
        }

        if (!await index.DeleteManifestAsync(repository, digest, DeleteLinksAsync, cancellationToken))
        {
            throw Unknown(reference);
        }

        events.Publish(new ManifestDeleted { Repository = repository, OccurredAt = time.GetUtcNow(), Digest = digest });
    }

    private static string TagLockKey(RepositoryName repository, string tag) => $"tag:{repository.Value}:{tag}";

    private static RegistryException Unknown(Reference reference) =>
        new(RegistryErrorCode.ManifestUnknown, "Manifest unknown to this repository.", new { reference = reference.ToString() });
}
