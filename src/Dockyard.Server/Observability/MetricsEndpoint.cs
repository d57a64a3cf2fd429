using Microsoft.Extensions.Options;
using Prometheus;

namespace Dockyard.Server.Observability;

/// <summary><c>/metrics</c>: the server's collector registry in the Prometheus text format, behind <see cref="MetricsAccessGate"/>.</summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Maps <c>/metrics</c>; <paramref name="version"/> and <paramref name="commit"/> label <c>dockyard_build_info</c>.</summary>
    public static IEndpointConventionBuilder MapDockyardMetrics(this IEndpointRouteBuilder endpoints, string version, string commit)
    {
        var services = endpoints.ServiceProvider;
        var access = services.GetRequiredService<IOptions<MetricsOptions>>().Value.Access;
        // Created now, not at the first scrape: their collectors (process, build, data volume) must be there from the start.
        var server = services.GetRequiredService<ServerMetrics>();
        server.SetBuild(version, commit);
        var registry = server.Registry;
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
