namespace Dockyard.Registry.Maintenance;

/// <summary>A blob linked into a repository that no manifest of that repository references.</summary>
public sealed record BlobLinkCandidate(RepositoryName Repository, Digest Digest);
