namespace Dockyard.Server.Data.Entities;

/// <summary>A manifest in a repository. Its body is a blob in storage under the same digest.</summary>
internal sealed class ManifestEntity
{
    public required string Repository { get; set; }

    public required string Digest { get; set; }

    public required string MediaType { get; set; }

    public long Size { get; set; }

    public string? ArtifactType { get; set; }

    /// <summary>The digest this manifest refers to (OCI <c>subject</c>); indexed for the referrers API.</summary>
    public string? Subject { get; set; }

    public string? AnnotationsJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Derived for display, filled lazily by the UI (null until first shown): the platforms (<c>os/arch[/variant]</c>,
    /// comma-separated) an image is for, or an index's children are for.
    /// </summary>
    public string? Platforms { get; set; }

    /// <summary>Derived for display like <see cref="Platforms"/>: compressed size of config and layers (an index: of all its images).</summary>
    public long? ContentSize { get; set; }
}
