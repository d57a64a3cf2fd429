namespace Dockyard.Registry.Maintenance;

/// <summary>
/// Garbage collection's second phase: repository blob links that no manifest of the repository references.
/// </summary>
public interface ILinkSweepIndex
{
    /// <summary>
    /// Blob links that no manifest of their repository references and whose blob was last seen before
    /// <paramref name="seenBefore"/> (uploads never referenced, layers of deleted manifests), ordered, after <paramref name="after"/>.
    /// </summary>
    Task<IReadOnlyList<BlobLinkCandidate>> FindUnreferencedLinksAsync(DateTimeOffset seenBefore, BlobLinkCandidate? after, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes those of <paramref name="links"/> that still qualify, in one transaction. Returns the deleted ones.</summary>
    Task<IReadOnlyList<BlobLinkCandidate>> DeleteUnreferencedLinksAsync(IReadOnlyList<BlobLinkCandidate> links, DateTimeOffset seenBefore, CancellationToken cancellationToken);
}
