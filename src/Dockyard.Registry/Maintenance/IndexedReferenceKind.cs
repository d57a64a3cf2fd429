namespace Dockyard.Registry.Maintenance;

public enum IndexedReferenceKind
{
    /// <summary>A blob linked into the repository.</summary>
    Blob,

    /// <summary>A manifest of the repository (an index's child).</summary>
    Manifest,

    /// <summary>Neither: the index is inconsistent.</summary>
    Missing,
}
