namespace Dockyard.Registry.Maintenance;

public enum CollectedKind
{
    /// <summary>An untagged manifest's index rows and repository link (its body goes as a <see cref="Blob"/>).</summary>
    Manifest,

    /// <summary>A repository's link to a blob it no longer references.</summary>
    Link,

    /// <summary>A blob's bytes in storage and its record.</summary>
    Blob,
}
