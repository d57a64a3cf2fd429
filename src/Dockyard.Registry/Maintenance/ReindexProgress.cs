namespace Dockyard.Registry.Maintenance;

/// <summary>Running totals of a rebuild, reported after each repository and at the end.</summary>
public sealed record ReindexProgress(int Repositories, int Manifests, int Tags, int Blobs, int Problems, string? CurrentRepository);
