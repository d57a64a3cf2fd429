namespace Dockyard.Registry.Metadata;

/// <summary>
/// The referrer role of the metadata index: manifests that name another as their subject.
/// Implementations must make every method atomic.
/// </summary>
public interface IReferrerIndex
{
    /// <summary>Manifests of the repository whose subject is <paramref name="subject"/>, optionally filtered by artifact type.</summary>
    Task<IReadOnlyList<ManifestRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, string? artifactType, CancellationToken cancellationToken);
}
