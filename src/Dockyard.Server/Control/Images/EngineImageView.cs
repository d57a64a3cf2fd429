namespace Dockyard.Server.Control.Images;

/// <summary>One image on one engine: its references (<c>repo:tag</c>), registry digests (<c>repo@sha256:…</c>), size and age.</summary>
internal sealed record EngineImageView(
    string Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    long Size,
    DateTimeOffset Created,
    string Engine,
    string? NodeId);
