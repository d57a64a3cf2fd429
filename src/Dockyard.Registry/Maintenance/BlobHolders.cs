namespace Dockyard.Registry.Maintenance;

/// <summary>
/// Everything in the index that holds one blob (layer, config or manifest body) alive, for a dry run to work out what
/// deleting some manifests would free.
/// </summary>
/// <param name="Digest">The blob.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Manifests">Manifest rows with this digest, in any repository.</param>
/// <param name="References">Manifests, in any repository, that name this digest.</param>
/// <param name="Links">Repositories the blob is linked into.</param>
public sealed record BlobHolders(
    Digest Digest,
    long Size,
    IReadOnlyList<HoldingManifest> Manifests,
    IReadOnlyList<HoldingReference> References,
    IReadOnlyList<RepositoryName> Links);
