namespace Dockyard.Registry.Events;

/// <summary>A blob was removed from a repository (its bytes stay until garbage collection).</summary>
public sealed record BlobDeleted : RegistryEvent
{
    public required Digest Digest { get; init; }
}
