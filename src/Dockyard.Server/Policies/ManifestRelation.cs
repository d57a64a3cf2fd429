namespace Dockyard.Server.Policies;

/// <summary>
/// One manifest of a repository and what connects it to the rest: the tags pointing at it, the indexes that list it
/// (<see cref="HeldBy"/>), the manifest it refers to (<see cref="Subject"/>) and the manifests referring to it.
/// </summary>
internal sealed record ManifestRelation
{
    public required string Digest { get; init; }

    public required string MediaType { get; init; }

    /// <summary>The document's <c>artifactType</c>, or an image manifest's config media type (as the referrers API reports it).</summary>
    public string? ArtifactType { get; init; }

    public required long Size { get; init; }

    public required DateTimeOffset PushedAt { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Indexes of the repository that list this manifest (a platform image of a multi-platform image).</summary>
    public IReadOnlyList<ManifestLink> HeldBy { get; init; } = [];

    /// <summary>What this manifest refers to (OCI <c>subject</c>: a signature's or SBOM's image); null when nothing.</summary>
    public ManifestLink? Subject { get; init; }

    /// <summary>Manifests of the repository whose <c>subject</c> is this one (signatures, SBOMs, attestations).</summary>
    public IReadOnlyList<ManifestLink> Referrers { get; init; } = [];

    public bool IsTagged => Tags.Count > 0;

    /// <summary>
    /// Whether something else in the repository keeps this manifest: an index lists it, or its subject is a manifest
    /// of the repository. The rule garbage collection applies to untagged manifests
    /// (<c>EfGarbageCollectionIndex.FindUntaggedManifestsAsync</c>): an untagged manifest that is not referenced is
    /// garbage, one that is referenced is part of something still there.
    /// </summary>
    public bool IsReferenced => HeldBy.Count > 0 || Subject is { Present: true };

    /// <summary>
    /// As <see cref="IsReferenced"/>, counting only indexes and subjects outside <paramref name="leaving"/> (manifests
    /// deleted together with this one do not keep it).
    /// </summary>
    public bool IsReferencedOutside(IReadOnlySet<string> leaving) =>
        HeldBy.Any(h => !leaving.Contains(h.Digest)) || Subject is { Present: true } subject && !leaving.Contains(subject.Digest);

    /// <summary>"held by index sha256:… (tags: latest); refers to sha256:… (tags: 1.0)": why it is referenced.</summary>
    public string DescribeReferences()
    {
        var parts = HeldBy.Select(h => $"held by index {h.Digest}{TagsText(h.Tags)}").ToList();
        if (Subject is { Present: true } subject)
        {
            parts.Add($"refers to {subject.Digest}{TagsText(subject.Tags)}");
        }

        return string.Join("; ", parts);
    }

    private static string TagsText(IReadOnlyList<string> tags) => tags.Count == 0 ? " (untagged)" : $" (tags: {string.Join(", ", tags)})";
}
