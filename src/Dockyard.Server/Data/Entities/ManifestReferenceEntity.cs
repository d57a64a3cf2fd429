namespace Dockyard.Server.Data.Entities;

/// <summary>An edge from a manifest to a blob or child manifest it references (for delete safety and garbage collection).</summary>
internal sealed class ManifestReferenceEntity
{
    public required string Repository { get; set; }

    public required string ManifestDigest { get; set; }

    public required string ChildDigest { get; set; }
}
