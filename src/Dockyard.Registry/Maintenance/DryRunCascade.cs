namespace Dockyard.Registry.Maintenance;

/// <summary>
/// What a real run's deletion of untagged manifests frees, worked out without deleting, so that a dry run reports what
/// the real run would delete: the manifests that become candidates once others are gone (children of a deleted index,
/// referrers of a deleted subject), the repository links and the blobs that only deleted manifests held.
/// </summary>
/// <remarks>
/// The real run repeats passes until none deletes anything; what it ends with is the smallest set of manifests closed
/// under "qualifies once the set is gone", whatever the order. This computes the same set from the first pass: every
/// manifest named by, or referring to, a manifest of the set is checked against the set using the facts
/// <see cref="IDryRunIndex.FindHoldersAsync"/> gives (loaded once per digest), until the set stops growing.
/// Links and blobs are then freed exactly when every holder is in the set. A dry run sees the index as it is while it
/// runs; concurrent pushes can make either run differ.
/// </remarks>
internal sealed class DryRunCascade(IDryRunIndex index, DateTimeOffset createdBefore, DateTimeOffset seenBefore, int batchSize, Func<Digest, bool>? keep = null)
{
    // The manifests the real run would delete, and what holds each digest met so far (null: not collectable anyway).
    private readonly HashSet<(RepositoryName Repository, Digest Digest)> _deleted = [];
    private readonly Dictionary<Digest, BlobHolders?> _holders = [];

    /// <summary>
    /// Takes the manifests the first pass found and returns those their deletion would free in turn, transitively.
    /// </summary>
    public async Task<IReadOnlyList<ManifestCandidate>> CascadeAsync(IReadOnlyList<ManifestCandidate> firstPass, CancellationToken cancellationToken)
    {
        _deleted.UnionWith(firstPass.Select(m => (m.Repository, m.Digest)));
        var freed = new List<ManifestCandidate>();
        IReadOnlyList<ManifestCandidate> frontier = firstPass;
        while (frontier.Count > 0)
        {
            var next = new List<ManifestCandidate>();
            foreach (var chunk in frontier.Chunk(batchSize))
            {
                var dependents = await index.FindDependentsAsync(chunk, cancellationToken);
                await LoadHoldersAsync([.. chunk.Select(m => m.Digest), .. dependents], cancellationToken);
                foreach (var digest in dependents)
                {
                    if (_holders[digest] is not { } holders)
                    {
                        continue;
                    }

                    foreach (var manifest in holders.Manifests)
                    {
                        if (!_deleted.Contains((manifest.Repository, digest)) && IsFreed(manifest, holders))
                        {
                            _deleted.Add((manifest.Repository, digest));
                            next.Add(new ManifestCandidate(manifest.Repository, digest, holders.Size));
                        }
                    }
                }
            }

            freed.AddRange(next);
            frontier = next;
        }

        return freed;
    }

    /// <summary>Links that only manifests of the set reference in their repository (those referenced by none the plain query finds).</summary>
    public IEnumerable<BlobLinkCandidate> FreedLinks() =>
        from holders in LoadedHolders()
        from repository in holders.Links
        let naming = holders.References.Where(r => r.Repository == repository).ToList()
        where naming.Count > 0 && naming.All(IsDeleted)
        orderby repository.Value, holders.Digest.Value
        select new BlobLinkCandidate(repository, holders.Digest);

    /// <summary>Blobs that only manifests of the set hold, as body or reference (those held by none the plain query finds).</summary>
    public IEnumerable<BlobCandidate> FreedBlobs() =>
        from holders in LoadedHolders()
        where (holders.Manifests.Count > 0 || holders.References.Count > 0)
              && holders.Manifests.All(m => _deleted.Contains((m.Repository, holders.Digest)))
              && holders.References.All(IsDeleted)
        orderby holders.Digest.Value
        select new BlobCandidate(holders.Digest, holders.Size);

    /// <summary>The conditions <see cref="IManifestSweepIndex.FindUntaggedManifestsAsync"/> applies, with the set already gone.</summary>
    private bool IsFreed(HoldingManifest manifest, BlobHolders holders) =>
        !manifest.Tagged
        && keep?.Invoke(holders.Digest) != true
        && manifest.CreatedAt < createdBefore
        && holders.References.Where(r => r.Repository == manifest.Repository).All(IsDeleted)
        && (manifest.Subject is not { } subject || !manifest.SubjectPresent || _deleted.Contains((manifest.Repository, subject)));

    private bool IsDeleted(HoldingReference reference) => _deleted.Contains((reference.Repository, reference.Manifest));

    private IEnumerable<BlobHolders> LoadedHolders() => _holders.Values.OfType<BlobHolders>();

    private async Task LoadHoldersAsync(IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        var unknown = digests.Where(d => !_holders.ContainsKey(d)).Distinct().ToList();
        foreach (var batch in unknown.Chunk(batchSize))
        {
            foreach (var digest in batch)
            {
                _holders[digest] = null;
            }

            foreach (var holders in await index.FindHoldersAsync(batch, seenBefore, cancellationToken))
            {
                _holders[holders.Digest] = holders;
            }
        }
    }
}
