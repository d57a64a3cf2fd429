namespace Dockyard.Control.Compose;

/// <summary>
/// One <c>volumes</c> entry (or a <c>tmpfs</c> path): <see cref="Type"/> is <c>volume</c>, <c>bind</c> or <c>tmpfs</c>;
/// <see cref="Source"/> is the volume's key under the top-level <c>volumes:</c>, a host path, or null (anonymous, tmpfs).
/// </summary>
public sealed record ComposeMount
{
    public required string Type { get; init; }

    public string? Source { get; init; }

    public required string Target { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>Bind propagation (<c>rprivate</c>, <c>rshared</c>…), when given.</summary>
    public string? Propagation { get; init; }

    /// <summary><c>volume.nocopy</c>.</summary>
    public bool NoCopy { get; init; }

    /// <summary><c>tmpfs.size</c> in bytes.</summary>
    public long? TmpfsSize { get; init; }

    public string? Consistency { get; init; }
}
