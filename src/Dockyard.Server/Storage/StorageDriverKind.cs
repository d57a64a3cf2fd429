namespace Dockyard.Server.Storage;

/// <summary>Where blob bytes live.</summary>
public enum StorageDriverKind
{
    Filesystem,
}
