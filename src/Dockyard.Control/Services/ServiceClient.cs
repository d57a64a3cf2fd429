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
}
