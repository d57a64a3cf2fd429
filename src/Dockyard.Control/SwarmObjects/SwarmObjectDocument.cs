using System.Text.Json.Serialization;

namespace Dockyard.Control.SwarmObjects;

/// <summary>A secret or config as the engine lists it, without its data.</summary>
internal sealed record SwarmObjectDocument(
    [property: JsonPropertyName("ID")] string Id,
    SwarmObjectDocument.VersionPart? Version,
    DateTimeOffset? CreatedAt,
    SwarmObjectDocument.SpecPart? Spec)
{
    internal sealed record VersionPart(long Index);

    internal sealed record SpecPart(string? Name, Dictionary<string, string>? Labels);

    public SwarmObjectSummary ToSummary() => new()
    {
        Id = Id,
        Name = Spec?.Name ?? string.Empty,
        Version = Version?.Index ?? 0,
        Labels = Spec?.Labels ?? [],
        CreatedAt = CreatedAt,
    };
}
