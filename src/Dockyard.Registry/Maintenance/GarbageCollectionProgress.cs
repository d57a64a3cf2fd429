namespace Dockyard.Registry.Maintenance;

/// <summary>Running totals of a collection.</summary>
public sealed record GarbageCollectionProgress(GarbageCollectionPhase Phase, int Manifests, int Links, int Blobs, long Bytes);
