namespace Dockyard.Registry.Maintenance;

/// <summary>A tag row: where it points, whether that manifest row exists, when it was last written.</summary>
public sealed record IndexedTag(RepositoryName Repository, string Tag, Digest Manifest, bool ManifestExists, DateTimeOffset UpdatedAt);
