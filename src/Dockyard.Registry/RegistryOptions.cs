namespace Dockyard.Registry;

/// <summary>Limits and lifetimes of the registry core. Bound from configuration section <c>Dockyard:Registry</c>.</summary>
public sealed record RegistryOptions
{
    /// <summary>Largest manifest accepted on PUT; 4 MiB like other registries.</summary>
    public int MaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>An upload session untouched for this long is purged.</summary>
    public TimeSpan UploadExpiry { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often expired uploads are looked for.</summary>
    public TimeSpan UploadPurgeInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Most entries one tags-list or catalog page returns, whatever <c>n</c> asks for.</summary>
    public int MaxPageSize { get; init; } = 10_000;

    /// <summary>
    /// Memory for manifest bodies by digest (<see cref="Content.ManifestBodyCache"/>), so pulls read the body from memory
    /// rather than storage; 0 turns the cache off. 16 MiB holds a few thousand typical manifests.
    /// </summary>
    public long ManifestCacheBytes { get; init; } = 16 * 1024 * 1024;
}
