namespace Dockyard.Registry.Policies;

/// <summary>What a write does to an existing tag.</summary>
public enum TagChange
{
    /// <summary>The tag is pushed again and would point at a different manifest.</summary>
    Overwrite,

    /// <summary>The tag is deleted, by itself or with the manifest it points at.</summary>
    Delete,
}
