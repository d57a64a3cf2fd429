using System.Text.Json.Serialization;

namespace Dockyard.Control.Containers;

/// <summary><c>GET /containers/{id}/json</c>, the fields Dockyard uses.</summary>
public sealed record ContainerDetails
{
    public string Id { get; init; } = string.Empty;

    /// <summary>The name with the engine's leading slash.</summary>
    public string Name { get; init; } = string.Empty;

    public DateTimeOffset Created { get; init; }

    /// <summary>The image id the container runs (<c>sha256:…</c>, the digest of the image config).</summary>
    [JsonPropertyName("Image")]
    public string ImageId { get; init; } = string.Empty;

    public ContainerConfig Config { get; init; } = new();

    public ContainerState State { get; init; } = new();

    public ContainerHostConfig HostConfig { get; init; } = new();

    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];
}
