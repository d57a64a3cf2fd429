namespace Dockyard.Registry.Maintenance;

/// <summary>
/// What a garbage-collection dry run reads instead of deleting (see <see cref="DryRunCascade"/>): read-only queries
/// that tell what deleting manifests would free.
/// </summary>
public interface IDryRunIndex
{
    /// <summary>
    /// For a dry run, which cannot delete to see what a deletion frees: the digests that <paramref name="manifests"/>
    /// name in their repositories (configs, layers, children) and the manifests of those repositories whose subject
    /// they are.
    /// </summary>
    Task<IReadOnlyList<Digest>> FindDependentsAsync(IReadOnlyList<ManifestCandidate> manifests, CancellationToken cancellationToken);

    /// <summary>
    /// For a dry run: what holds each of <paramref name="digests"/> whose blob record is unmarked and was last seen
    /// before <paramref name="seenBefore"/> (the others are not collectable by this run and are left out).
    /// </summary>
    Task<IReadOnlyList<BlobHolders>> FindHoldersAsync(IReadOnlyCollection<Digest> digests, DateTimeOffset seenBefore, CancellationToken cancellationToken);
}
