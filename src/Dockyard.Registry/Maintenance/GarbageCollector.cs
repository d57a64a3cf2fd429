using Dockyard.Registry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dockyard.Registry.Maintenance;

/// <summary>
/// Online garbage collection: deletes what nothing references while the registry keeps serving pushes and pulls.
/// </summary>
/// <remarks>
/// <para>Liveness is decided by the index, never by walking storage. Every blob (layer, config, manifest body) has a
/// blob record with a <em>last seen</em> time. A blob is live while a manifest row has its digest, or a manifest
/// reference names it, or it was last seen within the grace period. Every path that makes a blob reachable sets
/// <em>last seen</em> first, in the same transaction that adds the reference: upload completion (before the bytes
/// are moved into place), mount and link, and manifest push (for the manifest and every blob and child it names). A blob
/// HEAD or GET refreshes it too when it was last seen more than half the grace ago, unless it is already marked (then
/// the blob is reported unknown), so a client that checked a layer exists has time to push the manifest naming it.</para>
/// <para>A run, holding the <see cref="IGarbageCollectionLease"/>: (1) with <see cref="GarbageCollectionOptions.DeleteUntaggedManifests"/>,
/// deletes untagged manifests older than the minimum age that no index of their repository references and whose
/// subject is not a manifest of the repository (a referrer lives as long as its subject; referrers of a deleted
/// subject go with it) and that <see cref="GarbageCollectionRequest.Keep"/> does not keep (in use outside the registry), repeating until nothing more qualifies, removing each one's repository link in the same
/// transaction; (2) deletes repository blob links no manifest of that repository references (uploads never
/// referenced, layers of deleted manifests) once the blob is past the grace; (3) for each batch of unreferenced blobs
/// past the grace: <em>marks</em> them (a conditional update that re-checks every condition under the blob record's
/// row lock), deletes their bytes, then deletes the records.</para>
/// <para>Why it is safe under concurrent pushes: the mark and the <em>last seen</em> update touch the same row, so one
/// of them wins. If the push wins, the blob is recent and the mark skips it. If the mark wins, the push sees the mark:
/// a manifest push that names the blob fails with MANIFEST_BLOB_UNKNOWN inside its transaction (never a manifest
/// pointing at deleted bytes), a mount falls back to an upload, and an upload of the same content waits until the
/// record is gone (the bytes are deleted before the record), then writes the bytes afresh. A mark is acted on only
/// for <see cref="GarbageCollectionProtocol.MarkLifetime"/>; after that a later run may take it over, and after
/// <see cref="GarbageCollectionProtocol.AbandonedAfter"/> an upload clears it (the run that set it died).</para>
/// <para>A dry run deletes nothing and reports what the real run would delete, including the manifests, links and blobs
/// that only deleting untagged manifests frees (<see cref="DryRunCascade"/>).</para>
/// </remarks>
public sealed partial class GarbageCollector(
    IStorageDriver storage,
    IGarbageCollectionIndex index,
    IGarbageCollectionLease lease,
    IOptions<GarbageCollectionOptions> options,
    TimeProvider time,
    ILogger<GarbageCollector> logger)
{
    private const int MaxManifestPasses = 32;

    private readonly GarbageCollectionOptions _options = options.Value;

    /// <summary>Runs one collection; null when another collection holds the lease.</summary>
    public async Task<GarbageCollectionResult?> TryRunAsync(GarbageCollectionRequest request, CancellationToken cancellationToken)
    {
        await using var held = await lease.TryAcquireAsync(cancellationToken);
        if (held is null)
        {
            LogBusy();
            return null;
        }

        var startedAt = time.GetUtcNow();
        var totals = new Totals(request);
        var seenBefore = startedAt - (request.Grace ?? _options.Grace);
        var createdBefore = startedAt - _options.UntaggedMinimumAge;
        await index.AdoptUntrackedBlobsAsync(cancellationToken);

        // A dry run deletes nothing, so what deleting manifests frees is worked out instead (see DryRunCascade).
        var cascade = request.DryRun ? new DryRunCascade(index, createdBefore, seenBefore, _options.BatchSize, request.Keep) : null;
        if (request.DeleteUntaggedManifests ?? _options.DeleteUntaggedManifests)
        {
            await CollectManifestsAsync(totals, cascade, request.Keep, createdBefore, seenBefore, cancellationToken);
        }

        await CollectLinksAsync(totals, cascade, seenBefore, cancellationToken);
        await CollectBlobsAsync(totals, cascade, seenBefore, startedAt - GarbageCollectionProtocol.MarkLifetime, cancellationToken);
        totals.Report(GarbageCollectionPhase.Done);

        var result = new GarbageCollectionResult
        {
            DryRun = request.DryRun,
            ManifestsDeleted = totals.Manifests,
            LinksDeleted = totals.Links,
            BlobsDeleted = totals.Blobs,
            ReclaimedBytes = totals.Bytes,
            Deferred = totals.Deferred,
            StartedAt = startedAt,
            Duration = time.GetUtcNow() - startedAt,
        };
        LogCompleted(result.DryRun, result.ManifestsDeleted, result.LinksDeleted, result.BlobsDeleted, result.ReclaimedBytes, result.Duration.TotalSeconds);
        return result;
    }

    private async Task CollectManifestsAsync(Totals totals, DryRunCascade? cascade, Func<Digest, bool>? keep, DateTimeOffset createdBefore, DateTimeOffset seenBefore, CancellationToken cancellationToken)
    {
        // Deleting an index frees its children, deleting a subject frees its referrers: repeat until a pass deletes nothing.
        for (var pass = 0; pass < MaxManifestPasses; pass++)
        {
            var deleted = 0;
            var found = cascade is null ? null : new List<ManifestCandidate>();
            ManifestCandidate? after = null;
            while (await index.FindUntaggedManifestsAsync(createdBefore, seenBefore, after, _options.BatchSize, cancellationToken) is { Count: > 0 } page)
            {
                after = page[^1];
                foreach (var manifest in page)
                {
                    if (keep?.Invoke(manifest.Digest) == true)
                    {
                        continue;
                    }

                    var link = StoragePaths.ManifestLink(manifest.Repository, manifest.Digest);
                    if (cascade is not null || await index.DeleteUntaggedManifestAsync(manifest, createdBefore, seenBefore, async ct => await storage.DeleteAsync(link, ct), cancellationToken))
                    {
                        deleted++;
                        found?.Add(manifest);
                        totals.Collected(manifest);
                    }
                }

                totals.Report(GarbageCollectionPhase.Manifests);
            }

            if (cascade is not null)
            {
                // Nothing was deleted, so another pass would find the same: the cascade stands in for the later passes.
                foreach (var manifest in await cascade.CascadeAsync(found!, cancellationToken))
                {
                    totals.Collected(manifest);
                }

                totals.Report(GarbageCollectionPhase.Manifests);
                return;
            }

            if (deleted == 0)
            {
                return;
            }
        }
    }

    private async Task CollectLinksAsync(Totals totals, DryRunCascade? cascade, DateTimeOffset seenBefore, CancellationToken cancellationToken)
    {
        BlobLinkCandidate? after = null;
        while (await index.FindUnreferencedLinksAsync(seenBefore, after, _options.BatchSize, cancellationToken) is { Count: > 0 } page)
        {
            after = page[^1];
            var deleted = cascade is not null ? page : await index.DeleteUnreferencedLinksAsync(page, seenBefore, cancellationToken);
            foreach (var link in deleted)
            {
                totals.Collected(link);
            }

            totals.Report(GarbageCollectionPhase.Links);
        }

        if (cascade is not null)
        {
            foreach (var link in cascade.FreedLinks())
            {
                totals.Collected(link);
            }

            totals.Report(GarbageCollectionPhase.Links);
        }
    }

    private async Task CollectBlobsAsync(Totals totals, DryRunCascade? cascade, DateTimeOffset seenBefore, DateTimeOffset markedBefore, CancellationToken cancellationToken)
    {
        Digest? after = null;
        while (await index.FindUnreferencedBlobsAsync(seenBefore, markedBefore, after, _options.BatchSize, cancellationToken) is { Count: > 0 } page)
        {
            after = page[^1].Digest;
            var deleted = cascade is not null ? page : await DeleteBlobsAsync(totals, page, seenBefore, cancellationToken);
            foreach (var blob in deleted)
            {
                totals.Collected(blob);
            }

            totals.Report(GarbageCollectionPhase.Blobs);
        }

        if (cascade is not null)
        {
            foreach (var blob in cascade.FreedBlobs())
            {
                totals.Collected(blob);
            }

            totals.Report(GarbageCollectionPhase.Blobs);
        }
    }

    /// <summary>Mark (database), delete bytes (storage), forget (database): in this order, never another.</summary>
    private async Task<IReadOnlyList<BlobCandidate>> DeleteBlobsAsync(Totals totals, IReadOnlyList<BlobCandidate> page, DateTimeOffset seenBefore, CancellationToken cancellationToken)
    {
        var mark = time.GetUtcNow();
        var marked = await index.MarkBlobsAsync(page, seenBefore, mark - GarbageCollectionProtocol.MarkLifetime, mark, cancellationToken);
        if (marked.Count == 0)
        {
            return marked;
        }

        if (time.GetUtcNow() - mark >= GarbageCollectionProtocol.MarkLifetime)
        {
            // Too slow to still own the mark: the next run takes these over.
            totals.Deferred += marked.Count;
            return [];
        }

        // The driver's batch delete: one DeleteObjects per 1,000 blobs on S3, plain unlinks on disk.
        await storage.DeleteFilesAsync([.. marked.Select(b => StoragePaths.Blob(b.Digest))], cancellationToken);
        await index.ForgetBlobsAsync(marked, mark, cancellationToken);
        return marked;
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Garbage collection (dry run: {DryRun}): {Manifests} manifests, {Links} links, {Blobs} blobs, {Bytes} bytes in {Seconds:0.0} s")]
    private partial void LogCompleted(bool dryRun, int manifests, int links, int blobs, long bytes, double seconds);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Garbage collection skipped: another collection is running")]
    private partial void LogBusy();

    private sealed class Totals(GarbageCollectionRequest request)
    {
        public int Manifests { get; private set; }

        public int Links { get; private set; }

        public int Blobs { get; private set; }

        public long Bytes { get; private set; }

        public int Deferred { get; set; }

        public void Collected(ManifestCandidate manifest)
        {
            Manifests++;
            request.OnCollected?.Invoke(new CollectedItem(CollectedKind.Manifest, manifest.Repository, manifest.Digest, manifest.Size));
        }

        public void Collected(BlobLinkCandidate link)
        {
            Links++;
            request.OnCollected?.Invoke(new CollectedItem(CollectedKind.Link, link.Repository, link.Digest, 0));
        }

        public void Collected(BlobCandidate blob)
        {
            Blobs++;
            Bytes += blob.Size;
            request.OnCollected?.Invoke(new CollectedItem(CollectedKind.Blob, null, blob.Digest, blob.Size));
        }

        public void Report(GarbageCollectionPhase phase) =>
            request.Progress?.Report(new GarbageCollectionProgress(phase, Manifests, Links, Blobs, Bytes));
    }
}
