using Microsoft.Extensions.Options;
using Prometheus;

namespace Dockyard.Server.Observability;

/// <summary><c>/metrics</c>: the server's collector registry in the Prometheus text format, behind <see cref="MetricsAccessGate"/>.</summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IEndpointConventionBuilder MapDockyardMetrics(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var access = services.GetRequiredService<IOptions<MetricsOptions>>().Value.Access;
        // Created now, not at the first scrape: their collectors (process, build, data volume) must be there from the start.
        var registry = services.GetRequiredService<ServerMetrics>().Registry;
        var pipeline = endpoints.CreateApplicationBuilder()
            .Use(async (context, next) =>
            {
                if (await MetricsAccessGate.AdmitAsync(context, access))
                {
                    await next(context);
                }
            })
            .UseMiddleware<MetricServerMiddleware>(new MetricServerMiddleware.Settings { Registry = registry })
            .Build();
        return endpoints.Map(Path, pipeline).WithDisplayName("Prometheus metrics");
    }
}
