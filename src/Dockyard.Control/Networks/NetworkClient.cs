using System.Text.Json.Nodes;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Networks;

/// <summary>Networks on one engine (swarm-scoped ones through a manager).</summary>
public sealed class NetworkClient(EngineClient engine)
{
    /// <summary><c>GET /networks</c>; filters: id, name, label, driver, scope.</summary>
    /// <remarks>The engine's <c>name</c> filter matches substrings: compare <see cref="NetworkSummary.Name"/> exactly.</remarks>
    public async Task<IReadOnlyList<NetworkSummary>> ListAsync(EngineFilters? filters, CancellationToken cancellationToken)
    {
        var path = EngineQuery.Path("networks").Add(filters).ToString();
        var networks = await engine.GetAsync(path, NetworkJsonContext.Default.ListNetworkDocument, cancellationToken);
        return networks.Select(network => network.ToSummary()).ToList();
    }

    /// <summary><c>POST /networks/create</c> with the whole body; returns the id. A name in use is <see cref="EngineErrorKind.Conflict"/>.</summary>
    public async Task<string> CreateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var answer = await engine.PostAsync("networks/create", EngineJsonObjects.Content(body), NetworkJsonContext.Default.NetworkCreateResponse, cancellationToken);
        return string.IsNullOrEmpty(answer.Id)
            ? throw new EngineApiException(engine.Name, EngineErrorKind.Failed, null, "created a network without answering its id")
            : answer.Id;
    }

    /// <summary><c>DELETE /networks/{id}</c>.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        engine.DeleteAsync(EngineQuery.Path("networks", id).ToString(), cancellationToken);
}
