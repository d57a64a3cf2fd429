namespace Dockyard.Registry.Events;

/// <summary>A manifest and every tag pointing at it were removed from a repository.</summary>
public sealed record ManifestDeleted : RegistryEvent
{
    public required Digest Digest { get; init; }
}
