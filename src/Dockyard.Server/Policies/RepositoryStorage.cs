namespace Dockyard.Server.Policies;

/// <summary>The bytes one repository holds: its distinct blobs and manifests (content shared with other repositories counts in each).</summary>
internal sealed record RepositoryStorage(string Repository, long Bytes, int Blobs, int Manifests);
