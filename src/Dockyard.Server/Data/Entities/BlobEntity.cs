namespace Dockyard.Server.Data.Entities;

/// <summary>
/// One blob in storage (layer, config or manifest body), shared by every repository: the record garbage collection
/// works on. Its row is the lock of the collection protocol: pushes set <see cref="LastSeenAt"/>, a collection sets
/// <see cref="DeletingSince"/>, each conditionally on the other.
/// </summary>
internal sealed class BlobEntity
{
    public required string Digest { get; set; }

    public long Size { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last upload, link, mount or reference; a blob seen within the grace period is never collected.</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Set while a collection deletes the bytes; the record is deleted once they are gone.</summary>
    public DateTimeOffset? DeletingSince { get; set; }
}
