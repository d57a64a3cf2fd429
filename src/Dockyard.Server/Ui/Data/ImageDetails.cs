using Dockyard.Registry.Manifests;

namespace Dockyard.Server.Ui.Data;

/// <summary>Everything the image page shows about one manifest.</summary>
internal sealed record ImageDetails
{
    public required string Digest { get; init; }

    public required string MediaType { get; init; }

    public required long ManifestSize { get; init; }

    public required DateTimeOffset PushedAt { get; init; }

    /// <summary>Tags pointing at this manifest.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    public bool IsIndex { get; init; }

    public string? ArtifactType { get; init; }

    /// <summary>The parsed config of an image manifest; null for an index, an artifact, or an unreadable config.</summary>
    public ImageConfig? Config { get; init; }

    public string? ConfigDigest { get; init; }

    public IReadOnlyList<ImageLayer> Layers { get; init; } = [];

    /// <summary>Config plus layers (an index: its images together).</summary>
    public long? CompressedSize { get; init; }

    public IReadOnlyList<IndexChild> Children { get; init; } = [];

    public IReadOnlyList<ReferrerRow> Referrers { get; init; } = [];

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>The manifest this one refers to, when it is an artifact attached to an image.</summary>
    public string? Subject { get; init; }
}
