using System.Text.Json;

namespace Dockyard.Server.Control.Containers;

/// <summary>
/// A container as its detail page and <c>GET /api/v1/containers/{ref}</c> show it: where it runs and which collection
/// holds it, the readable parts of its configuration, state, host configuration (what an operator checks for risk),
/// mounts, networks and labels, and <see cref="Raw"/>, the engine's whole document as <c>docker inspect</c> prints it.
/// </summary>
internal sealed record ContainerInspection(
    string Id,
    string Name,
    string Engine,
    string? NodeId,
    string Collection,
    DateTimeOffset Created,
    string Image,
    string ImageId,
    ContainerStateView State,
    ContainerConfigView Config,
    ContainerHostView HostConfig,
    IReadOnlyList<ContainerMountView> Mounts,
    IReadOnlyList<ContainerNetworkView> Networks,
    IReadOnlyDictionary<string, string> Labels,
    JsonElement Raw);
