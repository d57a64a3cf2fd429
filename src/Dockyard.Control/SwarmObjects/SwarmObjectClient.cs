using System.Text.Json.Nodes;
using Dockyard.Control.Engines;

namespace Dockyard.Control.SwarmObjects;

/// <summary>Swarm secrets or configs through a manager engine. Data is immutable: a new payload is a new object.</summary>
public sealed class SwarmObjectClient(EngineClient engine, SwarmObjectKind kind)
{
    private readonly string _collection = kind switch
    {
        SwarmObjectKind.Secret => "secrets",
        SwarmObjectKind.Config => "configs",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown swarm object kind"),
    };

    /// <summary><c>GET /secrets</c> or <c>/configs</c>; filters: id, name, names, label.</summary>
    public async Task<IReadOnlyList<SwarmObjectSummary>> ListAsync(EngineFilters? filters, CancellationToken cancellationToken)
    {
        var path = EngineQuery.Path(_collection).Add(filters).ToString();
        var objects = await engine.GetAsync(path, SwarmObjectJsonContext.Default.ListSwarmObjectDocument, cancellationToken);
        return objects.Select(item => item.ToSummary()).ToList();
    }

    /// <summary><c>POST /secrets/create</c> (or configs) with the whole spec; returns the id. The spec may hold secret data: never log it.</summary>
    /// <remarks>A name in use is <see cref="EngineErrorKind.Conflict"/>.</remarks>
    public async Task<string> CreateAsync(JsonObject spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var answer = await engine.PostAsync(_collection + "/create", EngineJsonObjects.Content(spec), SwarmObjectJsonContext.Default.SwarmObjectCreateResponse, cancellationToken);
        return string.IsNullOrEmpty(answer.Id)
            ? throw new EngineApiException(engine.Name, EngineErrorKind.Failed, null, $"created a {kind.ToString().ToLowerInvariant()} without answering its id")
            : answer.Id;
    }

    /// <summary><c>DELETE /secrets/{id}</c> (or configs).</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        engine.DeleteAsync(EngineQuery.Path(_collection, id).ToString(), cancellationToken);
}
