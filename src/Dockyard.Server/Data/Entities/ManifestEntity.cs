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
}
