namespace Dockyard.Registry.Maintenance;

/// <summary>What <see cref="IntegrityChecker"/> reads from the metadata index: everything, streamed in a stable order.</summary>
public interface IIntegrityIndex
{
    /// <summary>Every tag (of one repository, or all), and whether its manifest row exists.</summary>
    IAsyncEnumerable<IndexedTag> ListTagsAsync(RepositoryName? repository, CancellationToken cancellationToken);

    /// <summary>Every manifest with its references, each classified against the manifest's repository.</summary>
    IAsyncEnumerable<IndexedManifest> ListManifestsAsync(RepositoryName? repository, CancellationToken cancellationToken);

    /// <summary>Every distinct digest whose bytes the index promises (linked blobs and manifest bodies), with its blob record's state.</summary>
    IAsyncEnumerable<IndexedBlob> ListBlobsAsync(RepositoryName? repository, CancellationToken cancellationToken);
}
