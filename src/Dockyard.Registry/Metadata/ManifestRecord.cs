using System.Text.Json;
using Dockyard.Registry.Manifests;

namespace Dockyard.Registry.Metadata;

/// <summary>What the index keeps about one manifest in one repository. The body itself is a blob in storage.</summary>
public sealed record ManifestRecord
{
    public required Digest Digest { get; init; }

    public required string MediaType { get; init; }

    public required long Size { get; init; }

    public string? ArtifactType { get; init; }

    public Digest? Subject { get; init; }

    /// <summary>The manifest's annotations as a JSON object, kept for the referrers API; null when none.</summary>
    public string? AnnotationsJson { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The index's view of a parsed manifest.</summary>
    public static ManifestRecord Create(ParsedManifest parsed, Digest digest, long size, DateTimeOffset createdAt) => new()
    {
        Digest = digest,
        MediaType = parsed.MediaType,
        Size = size,
        ArtifactType = parsed.ArtifactType,
        Subject = parsed.Subject?.Digest,
        AnnotationsJson = parsed.Annotations is { Count: > 0 } annotations
            ? JsonSerializer.Serialize(annotations, RegistryJsonContext.Default.IReadOnlyDictionaryStringString)
            : null,
        CreatedAt = createdAt,
    };
}
