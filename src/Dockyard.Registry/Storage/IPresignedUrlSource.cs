namespace Dockyard.Registry.Storage;

/// <summary>
/// A driver that can hand out time-limited URLs through which a client fetches a file directly from the
/// backing store (S3 presigned GETs), so blob downloads bypass the registry process.
/// </summary>
public interface IPresignedUrlSource
{
    /// <summary>
    /// A URL that serves the committed file at <paramref name="path"/> with a plain GET until it expires,
    /// or null when this source is not configured to redirect. Existence is not checked: callers stat first.
    /// </summary>
    Task<Uri?> GetReadUrlAsync(string path, CancellationToken cancellationToken);
}
