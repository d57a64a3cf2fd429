namespace Dockyard.Registry.Manifests;

/// <summary>
/// The parts of a validated manifest document the registry acts on. Produced by
/// <see cref="ManifestParser.Parse"/>; the original bytes stay the source of truth for what is stored and served.
/// </summary>
public sealed record ParsedManifest
{
    private const string DockerForeignLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    private const string OciNonDistributablePrefix = "application/vnd.oci.image.layer.nondistributable.v1.tar";

    /// <summary>The effective media type: the body's <c>mediaType</c>, or the Content-Type header when the body has none. Always one of the supported manifest constants in <see cref="MediaTypes"/>.</summary>
    public required string MediaType { get; init; }

    /// <summary>The config descriptor of an image manifest; null for indexes and manifest lists.</summary>
    public Descriptor? Config { get; init; }

    /// <summary>The layers of an image manifest, in order; empty for indexes and manifest lists.</summary>
    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    /// <summary>The child manifests of an index or manifest list; empty for image manifests.</summary>
    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];

    /// <summary>The manifest this one refers to (OCI 1.1 <c>subject</c>); only read from OCI manifests and indexes.</summary>
    public Descriptor? Subject { get; init; }

    /// <summary>
    /// The artifact type the referrers API reports: the document's <c>artifactType</c>, or for an image
    /// manifest without one, the config's media type. Null for an index without <c>artifactType</c>.
    /// </summary>
    public string? ArtifactType { get; init; }

    /// <summary>The manifest's top-level annotations, or null when it has none.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>True for indexes and manifest lists, whose children are manifests rather than blobs.</summary>
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>
    /// The blobs this manifest needs in the repository before it can be accepted: the config and every
    /// layer except foreign (non-distributable) layers, which clients fetch from their <c>urls</c>.
    /// Empty for indexes, whose children are manifests.
    /// </summary>
    public IEnumerable<Descriptor> ReferencedBlobs()
    {
        if (Config is not null)
        {
            yield return Config;
        }

        foreach (var layer in Layers)
        {
            if (!IsForeignLayer(layer))
            {
                yield return layer;
            }
        }
    }

    /// <summary>
    /// True for a layer with a non-distributable media type and at least one URL. A non-distributable
    /// layer without URLs has nowhere else to come from, so it must be in the registry like any other.
    /// </summary>
    public static bool IsForeignLayer(Descriptor layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer.Urls is { Count: > 0 }
            && (layer.MediaType == DockerForeignLayer
                || layer.MediaType.StartsWith(OciNonDistributablePrefix, StringComparison.Ordinal));
    }
}
