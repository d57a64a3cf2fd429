namespace Dockyard.Registry.Events;

/// <summary>A blob became part of a repository, by upload or by cross-repository mount.</summary>
public sealed record BlobStored : RegistryEvent
{
    public required Digest Digest { get; init; }

    public required long Size { get; init; }

    /// <summary>The repository it was mounted from; null for an upload.</summary>
    public RepositoryName? MountedFrom { get; init; }
}
