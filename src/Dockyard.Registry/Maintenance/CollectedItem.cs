namespace Dockyard.Registry.Maintenance;

/// <summary>What a collection deleted (or would delete): a manifest, a repository's blob link, or a blob's bytes.</summary>
public sealed record CollectedItem(CollectedKind Kind, RepositoryName? Repository, Digest Digest, long Size);
