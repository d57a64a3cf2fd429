namespace Dockyard.Registry.Maintenance;

public enum GarbageCollectionPhase
{
    Manifests,
    Links,
    Blobs,
    Done,
}
