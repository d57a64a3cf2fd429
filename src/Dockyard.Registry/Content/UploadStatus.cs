namespace Dockyard.Registry.Content;

/// <summary>Where an upload session stands: <see cref="Size"/> bytes received, so the next chunk starts there.</summary>
public sealed record UploadStatus(string Id, RepositoryName Repository, long Size, DateTimeOffset StartedAt);
