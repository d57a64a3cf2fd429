using System.Text;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Manifests;
using Dockyard.Registry.Metadata;
using Dockyard.Registry.Storage;
using Microsoft.Extensions.Logging;

namespace Dockyard.Registry.Maintenance;

/// <summary>
/// Rebuilds the metadata index from storage alone: every repository's manifest and tag links, the manifest
/// bodies (parsed again) and the blobs they reference. Idempotent: it only adds or overwrites rows, so it can
/// run on an empty database after a loss, or on a live one to repair drift.
/// </summary>
public sealed partial class IndexRebuilder(IStorageDriver storage, IBlobIndex blobIndex, IManifestIndex manifestIndex, ILogger<IndexRebuilder> logger)
{
    public async Task<ReindexProgress> RebuildAsync(IProgress<ReindexProgress>? progress, CancellationToken cancellationToken)
    {
        var totals = new ReindexProgress(0, 0, 0, 0, 0, null);
        await foreach (var repositoryPath in StoredRepositories.FindAsync(storage, StoragePaths.RepositoriesRoot, cancellationToken))
        {
            var rawName = repositoryPath[(StoragePaths.RepositoriesRoot.Length + 1)..];
            if (!RepositoryName.TryParse(rawName, out var repository))
            {
                LogProblem(rawName, "not a valid repository name");
                totals = totals with { Problems = totals.Problems + 1 };
                continue;
            }

            totals = await RebuildRepositoryAsync(repository, totals with { CurrentRepository = repository.Value }, cancellationToken);
            totals = totals with { Repositories = totals.Repositories + 1 };
            progress?.Report(totals);
        }

        return totals with { CurrentRepository = null };
    }

    private async Task<ReindexProgress> RebuildRepositoryAsync(RepositoryName repository, ReindexProgress totals, CancellationToken cancellationToken)
    {
        var records = new Dictionary<Digest, (ManifestRecord Record, Digest[] References)>();
        var manifestsRoot = $"{StoragePaths.Repository(repository)}/{StoragePaths.ManifestLinksDirectory}";
        await foreach (var algorithmDirectory in storage.ListAsync(manifestsRoot, cancellationToken))
        {
            var algorithm = algorithmDirectory[(algorithmDirectory.LastIndexOf('/') + 1)..];
            await foreach (var link in storage.ListAsync(algorithmDirectory, cancellationToken))
            {
                var digestText = $"{algorithm}:{link[(link.LastIndexOf('/') + 1)..]}";
                var restored = Digest.TryParse(digestText, out var digest)
                    ? await RestoreManifestAsync(repository, digest, link, cancellationToken)
                    : null;
                if (restored is null)
                {
                    LogProblem(repository.Value, $"manifest link {digestText} could not be restored");
                    totals = totals with { Problems = totals.Problems + 1 };
                    continue;
                }

                records[digest] = restored.Value;
                totals = totals with { Manifests = totals.Manifests + 1, Blobs = totals.Blobs + restored.Value.References.Length };
            }
        }

        var tagsRoot = $"{StoragePaths.Repository(repository)}/{StoragePaths.TagLinksDirectory}";
        await foreach (var link in storage.ListAsync(tagsRoot, cancellationToken))
        {
            var tag = link[(link.LastIndexOf('/') + 1)..];
            var content = await storage.GetContentAsync(link, cancellationToken);
            if (!Tag.IsValid(tag) || content is null || !Digest.TryParse(Encoding.UTF8.GetString(content), out var target)
                || !records.TryGetValue(target, out var manifest))
            {
                LogProblem(repository.Value, $"tag link '{tag}' does not point at a stored manifest");
                totals = totals with { Problems = totals.Problems + 1 };
                continue;
            }

            await manifestIndex.PutManifestAsync(repository, manifest.Record, manifest.References, tag, verifyReferences: false, beforeCommit: null, outboxEvent: null, cancellationToken);
            totals = totals with { Tags = totals.Tags + 1 };
        }

        return totals;
    }

    private async Task<(ManifestRecord Record, Digest[] References)?> RestoreManifestAsync(
        RepositoryName repository,
        Digest digest,
        string linkPath,
        CancellationToken cancellationToken)
    {
        var blobPath = StoragePaths.Blob(digest);
        var body = await storage.GetContentAsync(blobPath, cancellationToken);
        var info = await storage.StatAsync(blobPath, cancellationToken);
        if (body is null || info is null || Digest.Compute(body, digest.Algorithm) != digest)
        {
            return null;
        }

        var mediaType = await storage.GetContentAsync(linkPath, cancellationToken) is { Length: > 0 } bytes ? Encoding.UTF8.GetString(bytes) : null;
        ParsedManifest parsed;
        try
        {
            parsed = ManifestParser.Parse(body, mediaType);
        }
        catch (RegistryException)
        {
            return null;
        }

        var references = new List<Digest>();
        foreach (var blob in parsed.ReferencedBlobs().Select(d => d.Digest).Distinct())
        {
            if (await storage.StatAsync(StoragePaths.Blob(blob), cancellationToken) is { } blobInfo
                && await blobIndex.LinkBlobAsync(repository, blob, blobInfo.Size, cancellationToken))
            {
                references.Add(blob);
            }
        }

        references.AddRange(parsed.Manifests.Select(d => d.Digest).Distinct());
        var record = ManifestRecord.Create(parsed, digest, body.Length, info.ModifiedAt);
        var referenceArray = references.ToArray();
        await manifestIndex.PutManifestAsync(repository, record, referenceArray, tag: null, verifyReferences: false, beforeCommit: null, outboxEvent: null, cancellationToken);
        return (record, referenceArray);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Reindex: {Repository}: {Problem}")]
    private partial void LogProblem(string repository, string problem);
}
