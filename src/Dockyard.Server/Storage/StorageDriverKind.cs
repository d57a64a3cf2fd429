namespace Dockyard.Server.Storage;

/// <summary>Where blob bytes live.</summary>
public enum StorageDriverKind
{
    /// <summary>A local directory (<c>Dockyard:Storage:Path</c>).</summary>
    Filesystem,

    /// <summary>An S3-compatible bucket (<c>Dockyard:Storage:S3</c>); needed for more than one replica.</summary>
    S3,
}
