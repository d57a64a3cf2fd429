namespace Dockyard.Registry.Metadata;

/// <summary>A blob linked into a repository, as one index read sees it.</summary>
/// <param name="Size">The blob's size in bytes.</param>
/// <param name="LastSeenAt">
/// When garbage collection last saw the blob used (its record's <em>last seen</em>); null when the blob has no record
/// yet (indexed before records existed).
/// </param>
public readonly record struct LinkedBlob(long Size, DateTimeOffset? LastSeenAt);
