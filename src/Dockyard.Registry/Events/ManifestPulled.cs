namespace Dockyard.Registry.Events;

/// <summary>A manifest body was served (GET, not HEAD).</summary>
public sealed record ManifestPulled : RegistryEvent
{
    public required Digest Digest { get; init; }

    public string? Tag { get; init; }
}
