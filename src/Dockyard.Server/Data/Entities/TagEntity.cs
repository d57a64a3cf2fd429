namespace Dockyard.Server.Data.Entities;

/// <summary>A tag and the manifest it points at.</summary>
internal sealed class TagEntity
{
    public required string Repository { get; set; }

    public required string Name { get; set; }

    public required string ManifestDigest { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
