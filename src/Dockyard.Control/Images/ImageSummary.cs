namespace Dockyard.Control.Images;

/// <summary>One row of <c>GET /images/json</c>.</summary>
public sealed record ImageSummary
{
    /// <summary>The image id (<c>sha256:…</c> of its config).</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary><c>repo:tag</c> references; empty for dangling images (the engine may send null or <c>&lt;none&gt;:&lt;none&gt;</c>).</summary>
    public IReadOnlyList<string>? RepoTags { get; init; }

    /// <summary><c>repo@sha256:…</c> for images pulled from or pushed to a registry.</summary>
    public IReadOnlyList<string>? RepoDigests { get; init; }

    /// <summary>Creation time, unix seconds.</summary>
    public long Created { get; init; }

    public long Size { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
