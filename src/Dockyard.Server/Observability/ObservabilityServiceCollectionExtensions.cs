using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Observability;

internal static class ObservabilityServiceCollectionExtensions
{
    /// <summary>The server-wide collectors (on the registry Distribution's <c>AddRegistry</c> provides), request metrics of the token endpoint and API, and <c>/metrics</c> access.</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateOnStart();
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<HttpRequestMetrics>();
        return services;
    }

    /// <summary>Counts <c>/auth/token</c> and <c>/api/v1</c> requests (<see cref="HttpRequestMetrics"/>); goes after routing, before the error translators.</summary>
    public static IApplicationBuilder UseHttpRequestMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<HttpRequestMetrics>();
        return app.Use(next => context => metrics.InvokeAsync(context, next));
    }
}
