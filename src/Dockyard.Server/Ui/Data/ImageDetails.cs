using Dockyard.Registry.Manifests;
using Dockyard.Server.Policies;

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

    /// <summary><see cref="Subject"/> with its tags, and whether the repository still has it.</summary>
    public ManifestLink? SubjectLink { get; init; }

    /// <summary>The indexes of the repository that list this manifest (a platform image), with their tags.</summary>
    public IReadOnlyList<ManifestLink> HeldBy { get; init; } = [];

    /// <summary>
    /// A signature, SBOM, attestation or other artifact: an image manifest whose artifact type (its
    /// <c>artifactType</c>, else its config's media type) is not an image configuration.
    /// </summary>
    public bool IsArtifact { get; init; }

    /// <summary>The config descriptor's media type (an artifact's is often the empty descriptor's).</summary>
    public string? ConfigMediaType { get; init; }

    /// <summary>The build history in order, layer-making steps and metadata-only steps alike (<see cref="ImageStep"/>).</summary>
    public IReadOnlyList<ImageStep> History { get; init; } = [];
}
