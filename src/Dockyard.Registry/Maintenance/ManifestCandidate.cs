namespace Dockyard.Registry.Maintenance;

/// <summary>An untagged manifest that no index and no live subject keeps.</summary>
public sealed record ManifestCandidate(RepositoryName Repository, Digest Digest, long Size);
