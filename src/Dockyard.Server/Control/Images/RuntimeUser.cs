namespace Dockyard.Server.Control.Images;

/// <summary>
/// Something that runs a manifest of Dockyard's registry: a running container on an engine, or a Swarm service.
/// </summary>
/// <param name="Kind"><c>container</c> or <c>service</c>.</param>
/// <param name="Id">Container or service id.</param>
/// <param name="Name">Container or service name.</param>
/// <param name="Repository">The repository the engine names it by.</param>
/// <param name="Engine">The engine that runs the container; null for a service.</param>
/// <param name="NodeId">The Swarm node the container runs on; null for a service or a node outside a swarm.</param>
internal sealed record RuntimeUser(string Kind, string Id, string Name, string Repository, string? Engine, string? NodeId)
{
    public const string Container = "container";
    public const string Service = "service";

    /// <summary>"container web-1 on node abc (engine worker)" / "service api".</summary>
    public string Describe() => Kind == Service
        ? $"service {Name}"
        : $"container {Name} on node {NodeId ?? "-"} (engine {Engine})";
}
