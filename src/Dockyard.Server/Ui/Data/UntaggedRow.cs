using Dockyard.Registry;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// A row of the untagged-manifests page: the manifest, what kind of thing it is (image, index, signature, SBOM, …),
/// its platforms and compressed size when known, and what refers to it / what it refers to.
/// </summary>
internal sealed record UntaggedRow(ManifestRelation Manifest, string Kind, IReadOnlyList<string> Platforms, long? ContentSize)
{
    /// <summary>The rows of a page, with platforms and sizes from the summaries the tag list also uses.</summary>
    public static IReadOnlyList<UntaggedRow> Of(IReadOnlyList<ManifestRelation> manifests, IReadOnlyDictionary<string, ManifestSummary> summaries) =>
        [.. manifests.Select(m => summaries.GetValueOrDefault(m.Digest) is { } summary
            ? new UntaggedRow(m, KindOf(m), summary.Platforms, summary.ContentSize)
            : new UntaggedRow(m, KindOf(m), [], null))];

    /// <summary>"Index", "Image", or the artifact's kind ("Signature", "SBOM", …).</summary>
    public static string KindOf(ManifestRelation manifest) =>
        MediaTypes.IsIndex(manifest.MediaType) ? "Index"
        : manifest.ArtifactType is null or MediaTypes.OciConfig or MediaTypes.DockerConfig ? "Image"
        : ImageInspector.KindOf(manifest.ArtifactType);
}
