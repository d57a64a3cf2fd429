namespace Dockyard.Registry.Events;

/// <summary>A manifest was stored, optionally under a tag.</summary>
public sealed record ManifestPushed : RegistryEvent
{
    public required Digest Digest { get; init; }

    public required string MediaType { get; init; }

    public required long Size { get; init; }

    public string? Tag { get; init; }
}
