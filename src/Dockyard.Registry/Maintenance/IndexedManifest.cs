namespace Dockyard.Registry.Maintenance;

/// <summary>A manifest row with its references.</summary>
public sealed record IndexedManifest(RepositoryName Repository, Digest Digest, long Size, IReadOnlyList<IndexedReference> References);
