namespace Dockyard.Server.Data.Entities;

/// <summary>A verified blob that a repository holds (pushed or mounted into it).</summary>
internal sealed class BlobLinkEntity
{
    public required string Repository { get; set; }

    public required string Digest { get; set; }

    public long Size { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
