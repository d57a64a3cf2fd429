using System.Text.Json.Nodes;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Networks;

/// <summary>Networks on one engine (swarm-scoped ones through a manager).</summary>
public sealed class NetworkClient(EngineClient engine)
{
    /// <summary><c>GET /networks</c>; filters: id, name, label, driver, scope.</summary>
    public Task<IReadOnlyList<NetworkSummary>> ListAsync(EngineFilters? filters, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this " + engine.Name);

    /// <summary><c>POST /networks/create</c> with the whole body; returns the id.</summary>
    public Task<string> CreateAsync(JsonObject body, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this");

    /// <summary><c>DELETE /networks/{id}</c>.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this");
}
