namespace Dockyard.Registry.Maintenance;

/// <summary>A manifest that names a blob as its config, a layer or (an index) a child.</summary>
/// <param name="Repository">The repository of the naming manifest.</param>
/// <param name="Manifest">The naming manifest's digest.</param>
public sealed record HoldingReference(RepositoryName Repository, Digest Manifest);
