namespace Dockyard.Control.Containers;

/// <summary>One entry of a container's <c>Mounts</c>.</summary>
public sealed record ContainerMount
{
    /// <summary>bind, volume, tmpfs, npipe.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>The volume name (volumes only).</summary>
    public string? Name { get; init; }

    public string Source { get; init; } = string.Empty;

    public string Destination { get; init; } = string.Empty;

    public string Mode { get; init; } = string.Empty;

    /// <summary>True when writable.</summary>
    public bool Rw { get; init; }
}
