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

    /// <summary>
    /// Whether the manifest row exists once every transaction writing it has committed or rolled back: waits for them.
    /// A manifest delete removes the storage link inside its transaction, so a plain read can still see the row of a
    /// manifest whose link is already gone.
    /// </summary>
    Task<bool> ManifestExistsAfterWritersAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);
}
