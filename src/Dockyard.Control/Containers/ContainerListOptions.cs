using Dockyard.Control.Engines;

namespace Dockyard.Control.Containers;

/// <summary>Which containers <see cref="ContainerClient.ListAsync"/> returns.</summary>
/// <param name="All">Include stopped containers (the engine lists running ones only by default).</param>
/// <param name="Filters">Engine filters: name, label, status, ancestor, id, network, volume, health, …</param>
public sealed record ContainerListOptions(bool All = false, EngineFilters? Filters = null);
