namespace Dockyard.Server.Accounts;

/// <summary>What deleting one repository removed: its tags and manifests (the blobs are left to garbage collection).</summary>
internal sealed record RepositoryRemoval(string Repository, int Tags, int Manifests);
