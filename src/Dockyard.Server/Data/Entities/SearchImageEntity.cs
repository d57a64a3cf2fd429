namespace Dockyard.Server.Data.Entities;

/// <summary>
/// What search needs from one manifest's content (<c>search_images</c>), read from storage once (the manifest, its
/// config, an index's children) so that re-indexing a repository after a push reads only the new images.
/// </summary>
internal sealed class SearchImageEntity
{
    public required string Repository { get; set; }

    public required string Digest { get; set; }

    /// <summary>Labels as <c>key=value</c> lines.</summary>
    public string Labels { get; set; } = string.Empty;

    /// <summary>OCI annotations as <c>key=value</c> lines.</summary>
    public string Annotations { get; set; } = string.Empty;

    /// <summary>Platforms, comma-separated (<c>linux/arm64/v8</c>).</summary>
    public string Platforms { get; set; } = string.Empty;

    /// <summary>The base image's name (annotation or label <c>org.opencontainers.image.base.name</c>), if declared.</summary>
    public string? BaseImage { get; set; }
}
