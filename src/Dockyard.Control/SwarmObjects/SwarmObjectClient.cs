using System.Text.Json.Nodes;
using Dockyard.Control.Engines;

namespace Dockyard.Control.SwarmObjects;

/// <summary>Swarm secrets or configs through a manager engine. Data is immutable: a new payload is a new object.</summary>
public sealed class SwarmObjectClient(EngineClient engine, SwarmObjectKind kind)
{
    /// <summary><c>GET /secrets</c> or <c>/configs</c>; filters: id, name, names, label.</summary>
    public Task<IReadOnlyList<SwarmObjectSummary>> ListAsync(EngineFilters? filters, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this " + engine.Name + kind);

    /// <summary><c>POST /secrets/create</c> (or configs) with the whole spec; returns the id. The spec may hold secret data: never log it.</summary>
    public Task<string> CreateAsync(JsonObject spec, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this");

    /// <summary><c>DELETE /secrets/{id}</c> (or configs).</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this");
}
