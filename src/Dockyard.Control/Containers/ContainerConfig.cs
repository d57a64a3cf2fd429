namespace Dockyard.Control.Containers;

/// <summary>A container's <c>Config</c>.</summary>
public sealed record ContainerConfig
{
    /// <summary>True when the container has a TTY: its logs and attach streams are then raw, not multiplexed.</summary>
    public bool Tty { get; init; }

    /// <summary>The image reference as given at creation.</summary>
    public string Image { get; init; } = string.Empty;

    public string? Hostname { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
