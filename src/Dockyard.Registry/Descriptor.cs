namespace Dockyard.Registry;

/// <summary>An OCI content descriptor: what a manifest says about content it references.</summary>
public sealed record Descriptor
{
    public required string MediaType { get; init; }

    public required Digest Digest { get; init; }

    public required long Size { get; init; }

    public string? ArtifactType { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Where non-distributable (foreign) layers can be fetched from; such layers need not be in the registry.</summary>
    public IReadOnlyList<string>? Urls { get; init; }

    /// <summary>Set on index entries that name a platform.</summary>
    public Platform? Platform { get; init; }
}
