namespace Dockyard.Control.Compose;

/// <summary>A service's use of a secret or config: its key under the top-level section and where it appears in the container.</summary>
public sealed record ComposeFileReference
{
    public required string Source { get; init; }

    public string? Target { get; init; }

    public string? Uid { get; init; }

    public string? Gid { get; init; }

    /// <summary>File mode (YAML octal like <c>0440</c> is read as octal).</summary>
    public uint? Mode { get; init; }
}
