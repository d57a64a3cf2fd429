namespace Dockyard.Registry.Maintenance;

/// <summary>
/// Garbage collection's first phase: untagged manifests that nothing in their repository needs, found and then
/// deleted under the same conditions.
/// </summary>
public interface IManifestSweepIndex
{
    /// <summary>
    /// Untagged manifests created before <paramref name="createdBefore"/> and last seen before <paramref name="seenBefore"/>
    /// that no manifest of their repository references, and whose subject (if any) is not a manifest of the repository;
    /// ordered by repository and digest, after <paramref name="after"/>.
    /// </summary>
    Task<IReadOnlyList<ManifestCandidate>> FindUntaggedManifestsAsync(
        DateTimeOffset createdBefore,
        DateTimeOffset seenBefore,
        ManifestCandidate? after,
        int limit,
        CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the manifest and its references if it still qualifies (see <see cref="FindUntaggedManifestsAsync"/>).
    /// <paramref name="beforeCommit"/> runs inside the transaction (storage link removal). False when it no longer qualifies.
    /// </summary>
    Task<bool> DeleteUntaggedManifestAsync(
        ManifestCandidate manifest,
        DateTimeOffset createdBefore,
        DateTimeOffset seenBefore,
        Func<CancellationToken, Task> beforeCommit,
        CancellationToken cancellationToken);
}
