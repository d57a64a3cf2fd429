namespace Dockyard.Control.Images;

/// <summary><c>GET /images/{name}/json</c>, the fields Dockyard uses.</summary>
public sealed record ImageDetails
{
    public string Id { get; init; } = string.Empty;

    public IReadOnlyList<string>? RepoTags { get; init; }

    public IReadOnlyList<string>? RepoDigests { get; init; }

    /// <summary>RFC 3339 text (kept as text: imported images may carry odd times).</summary>
    public string Created { get; init; } = string.Empty;

    public long Size { get; init; }

    public string Architecture { get; init; } = string.Empty;

    public string Os { get; init; } = string.Empty;
}
