namespace Dockyard.Registry.Events;

/// <summary>A tag was removed; the manifest it pointed at stays.</summary>
public sealed record TagDeleted : RegistryEvent
{
    public required string Tag { get; init; }
}
