using System.Buffers;
using System.Text;
using Dockyard.Registry.Metadata;
using Dockyard.Registry.Storage;

namespace Dockyard.Registry.Maintenance;

/// <summary>
/// <c>fsck</c> for the registry: every tag resolves to a manifest row; every manifest's body and every blob it names
/// exist in storage (row and bytes) and every child manifest is a row; every blob the index promises exists with its
/// recorded size and, unless turned off, its bytes hash to its digest (streamed); storage links and index agree.
/// Read-only: it reports, it never repairs (<c>reindex</c> and <c>gc</c> do).
/// </summary>
public sealed class IntegrityChecker(IStorageDriver storage, IIntegrityIndex index, IManifestIndex manifestIndex, ITagIndex tagIndex, TimeProvider time)
{
    private const int BufferSize = 256 * 1024;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async Task<IntegrityReport> CheckAsync(IntegrityCheckRequest request, CancellationToken cancellationToken)
    {
        var run = new Run(request, time);
        await CheckTagsAsync(run, cancellationToken);
        await CheckManifestsAsync(run, cancellationToken);
        await CheckBlobsAsync(run, cancellationToken);
        await CheckStorageLinksAsync(run, cancellationToken);
        run.Report("done", force: true);
        return new IntegrityReport(run.Tags, run.Manifests, run.Blobs, run.BytesVerified, run.Problems);
    }

    private async Task CheckTagsAsync(Run run, CancellationToken cancellationToken)
    {
        await foreach (var tag in index.ListTagsAsync(run.Request.Repository, cancellationToken))
        {
            run.Tags++;
            var subject = $"{tag.Repository.Value}:{tag.Tag}";
            if (!tag.ManifestExists)
            {
                run.Problem(subject, $"points at {tag.Manifest.Value}, which is not a manifest of the repository");
            }
            else if (tag.UpdatedAt < run.InFlightBefore)
            {
                var link = await storage.GetContentAsync(StoragePaths.TagLink(tag.Repository, tag.Tag), cancellationToken);
                if (link is null || Encoding.UTF8.GetString(link) != tag.Manifest.Value)
                {
                    run.Problem(subject, $"storage tag link {(link is null ? "is missing" : $"points at {Encoding.UTF8.GetString(link)}")}, the index at {tag.Manifest.Value} (reindex would disagree)");
                }
            }

            run.Report("tags");
        }
    }

    private async Task CheckManifestsAsync(Run run, CancellationToken cancellationToken)
    {
        await foreach (var manifest in index.ListManifestsAsync(run.Request.Repository, cancellationToken))
        {
            run.Manifests++;
            var subject = $"{manifest.Repository.Value}@{manifest.Digest.Value}";
            var size = await run.SizeOfAsync(storage, manifest.Digest, cancellationToken);
            var link = StoragePaths.ManifestLink(manifest.Repository, manifest.Digest);
            var linkMissing = await storage.StatAsync(link, cancellationToken) is null;
            if (size is null || linkMissing)
            {
                // A delete removes the link inside its transaction, before the row's delete is committed: wait for
                // writers in flight. A manifest deleted since it was listed is not a problem; one pushed again since
                // has its link back (a push writes the link before the row).
                if (!await index.ManifestExistsAfterWritersAsync(manifest.Repository, manifest.Digest, cancellationToken))
                {
                    continue;
                }

                linkMissing = await storage.StatAsync(link, cancellationToken) is null;
            }

            if (size is null)
            {
                run.Problem(subject, "manifest body is missing from storage");
            }
            else if (size != manifest.Size)
            {
                run.Problem(subject, $"manifest body is {size} bytes in storage, {manifest.Size} in the index");
            }

            if (linkMissing)
            {
                run.Problem(subject, "storage manifest link is missing (reindex would lose this manifest)");
            }

            foreach (var reference in manifest.References)
            {
                switch (reference.Kind)
                {
                    case IndexedReferenceKind.Missing:
                        run.Problem(subject, $"references {reference.Digest.Value}, which the repository has neither as a blob nor as a manifest");
                        break;
                    case IndexedReferenceKind.Blob when await run.SizeOfAsync(storage, reference.Digest, cancellationToken) is null:
                        run.Problem(subject, $"references blob {reference.Digest.Value}, which is missing from storage");
                        break;
                }
            }

            run.Report("manifests");
        }
    }

    private async Task CheckBlobsAsync(Run run, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await foreach (var blob in index.ListBlobsAsync(run.Request.Repository, cancellationToken))
            {
                run.Blobs++;
                var subject = blob.Digest.Value;
                if (blob.MarkedForDeletion)
                {
                    run.Problem(subject, "is marked for deletion by garbage collection but still linked or a manifest");
                }

                var size = await run.SizeOfAsync(storage, blob.Digest, cancellationToken);
                if (size is null)
                {
                    run.Problem(subject, "blob is missing from storage");
                }
                else if (size != blob.Size)
                {
                    run.Problem(subject, $"blob is {size} bytes in storage, {blob.Size} in the index");
                }
                else if (run.Request.VerifyDigests)
                {
                    var actual = await HashAsync(run, blob.Digest, buffer, cancellationToken);
                    if (actual is null)
                    {
                        run.Problem(subject, "blob vanished while being verified");
                    }
                    else if (actual != blob.Digest)
                    {
                        run.Problem(subject, $"blob content is corrupt: it hashes to {actual.Value.Value}");
                    }
                }

                run.Report("blobs");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<Digest?> HashAsync(Run run, Digest digest, byte[] buffer, CancellationToken cancellationToken)
    {
        await using var stream = await storage.OpenReadAsync(StoragePaths.Blob(digest), 0, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var hasher = Digest.CreateHasher(digest.Algorithm);
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hasher.AppendData(buffer, 0, read);
            run.BytesVerified += read;
            run.Report("blobs");
        }

        return Digest.FromHash(digest.Algorithm, hasher.GetHashAndReset());
    }

    /// <summary>Storage to index: every manifest and tag link (older than the in-flight age) has its row.</summary>
    private async Task CheckStorageLinksAsync(Run run, CancellationToken cancellationToken)
    {
        var repositories = run.Request.Repository is { } only ? AsAsync(StoragePaths.Repository(only)) : StoredRepositories.FindAsync(storage, StoragePaths.RepositoriesRoot, cancellationToken);
        await foreach (var path in repositories)
        {
            if (!RepositoryName.TryParse(path[(StoragePaths.RepositoriesRoot.Length + 1)..], out var repository))
            {
                run.Problem(path, "storage directory is not a valid repository name");
                continue;
            }

            await foreach (var algorithmDirectory in storage.ListAsync($"{path}/{StoragePaths.ManifestLinksDirectory}", cancellationToken))
            {
                var algorithm = algorithmDirectory[(algorithmDirectory.LastIndexOf('/') + 1)..];
                await foreach (var link in storage.ListAsync(algorithmDirectory, cancellationToken))
                {
                    if (!await run.IsSettledAsync(storage, link, cancellationToken))
                    {
                        continue;
                    }

                    var text = $"{algorithm}:{link[(link.LastIndexOf('/') + 1)..]}";
                    if (!Digest.TryParse(text, out var digest) || await manifestIndex.GetManifestAsync(repository, digest, cancellationToken) is null)
                    {
                        run.Problem(link, $"storage manifest link has no manifest {text} in the index (reindex would restore it)");
                    }

                    run.Report("links");
                }
            }

            await foreach (var link in storage.ListAsync($"{path}/{StoragePaths.TagLinksDirectory}", cancellationToken))
            {
                var tag = link[(link.LastIndexOf('/') + 1)..];
                if (!Tag.IsValid(tag) || !await run.IsSettledAsync(storage, link, cancellationToken))
                {
                    continue;
                }

                var content = await storage.GetContentAsync(link, cancellationToken);
                var resolved = await tagIndex.ResolveTagAsync(repository, tag, cancellationToken);
                if (content is not null && resolved is null)
                {
                    run.Problem(link, $"storage tag link points at {Encoding.UTF8.GetString(content)} but the index has no tag {repository.Value}:{tag} (reindex would restore it)");
                }

                run.Report("links");
            }
        }
    }

    private static async IAsyncEnumerable<string> AsAsync(string path)
    {
        await Task.CompletedTask;
        yield return path;
    }

    private sealed class Run(IntegrityCheckRequest request, TimeProvider time)
    {
        private readonly Dictionary<Digest, long?> _sizes = [];
        private readonly long _started = time.GetTimestamp();
        private long _lastReport = time.GetTimestamp();

        public IntegrityCheckRequest Request => request;

        public DateTimeOffset InFlightBefore { get; } = time.GetUtcNow() - request.InFlightAge;

        public List<IntegrityProblem> Problems { get; } = [];

        public long Tags { get; set; }

        public long Manifests { get; set; }

        public long Blobs { get; set; }

        public long BytesVerified { get; set; }

        public void Problem(string subject, string description)
        {
            var problem = new IntegrityProblem(subject, description);
            Problems.Add(problem);
            request.OnProblem?.Invoke(problem);
        }

        /// <summary>The stored size of a blob, or null when absent; each digest is looked up once per run.</summary>
        public async Task<long?> SizeOfAsync(IStorageDriver storage, Digest digest, CancellationToken cancellationToken)
        {
            if (!_sizes.TryGetValue(digest, out var size))
            {
                size = (await storage.StatAsync(StoragePaths.Blob(digest), cancellationToken))?.Size;
                _sizes[digest] = size;
            }

            return size;
        }

        public async Task<bool> IsSettledAsync(IStorageDriver storage, string path, CancellationToken cancellationToken) =>
            await storage.StatAsync(path, cancellationToken) is { } info && info.ModifiedAt < InFlightBefore;

        public void Report(string phase, bool force = false)
        {
            if (request.Progress is null)
            {
                return;
            }

            var now = time.GetTimestamp();
            if (!force && time.GetElapsedTime(_lastReport, now) < ProgressInterval)
            {
                return;
            }

            _lastReport = now;
            var seconds = time.GetElapsedTime(_started, now).TotalSeconds;
            request.Progress.Report(new IntegrityProgress(phase, Tags + Manifests + Blobs, BytesVerified, seconds > 0 ? BytesVerified / seconds : 0, Problems.Count));
        }
    }
}
