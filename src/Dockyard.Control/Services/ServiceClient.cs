using System.Text.Json.Nodes;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Services;

/// <summary>Swarm services through one manager engine. Workers answer 503 (<see cref="EngineErrorKind.NotManager"/>).</summary>
public sealed class ServiceClient(EngineClient engine)
{
    /// <summary><c>GET /services</c>; filters: id, label, mode, name.</summary>
    public async Task<IReadOnlyList<ServiceSummary>> ListAsync(EngineFilters? filters, CancellationToken cancellationToken)
    {
        var path = EngineQuery.Path("services").Add(filters).ToString();
        var services = await engine.GetAsync(path, ServiceJsonContext.Default.ListServiceDocument, cancellationToken);
        return services.Select(service => service.ToSummary()).ToList();
    }

    /// <summary><c>GET /services/{id}</c> (id or name).</summary>
    public Task<ServiceDetails> InspectAsync(string id, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this");

    /// <summary><c>POST /services/create</c>; <paramref name="registryAuth"/> is the encoded <c>X-Registry-Auth</c> (never logged). Returns the id.</summary>
    public Task<string> CreateAsync(JsonObject spec, string? registryAuth, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this");

    /// <summary>
    /// <c>POST /services/{id}/update?version=</c> with the whole spec; <paramref name="rollback"/> sends
    /// <c>rollback=previous</c> (the spec is then ignored by the engine and may be the current one).
    /// </summary>
    public Task UpdateAsync(string id, long version, JsonObject spec, string? registryAuth, bool rollback, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this");

    /// <summary><c>DELETE /services/{id}</c>.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract stub: the engine helper implements this");
}
