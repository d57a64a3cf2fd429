namespace Dockyard.Control.Containers;

/// <summary>One row of <c>GET /containers/json</c>.</summary>
public sealed record ContainerSummary
{
    public string Id { get; init; } = string.Empty;

    /// <summary>Names with the engine's leading slash (<c>/web-1</c>).</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>The image as the container was created from it (reference or id).</summary>
    public string Image { get; init; } = string.Empty;

    /// <summary>The image id (<c>sha256:…</c>).</summary>
    public string ImageId { get; init; } = string.Empty;

    public string Command { get; init; } = string.Empty;

    /// <summary>Creation time, unix seconds.</summary>
    public long Created { get; init; }

    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string State { get; init; } = string.Empty;

    /// <summary>Human text such as "Up 3 minutes".</summary>
    public string Status { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
