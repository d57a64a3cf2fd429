using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.ServerStatus;

internal static class ServerStatusServiceCollectionExtensions
{
    /// <summary>The system status read by <c>/system</c> and <c>GET /api/v1/system</c>.</summary>
    public static IServiceCollection AddSystemStatus(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SystemStatusService>();
        return services;
    }
}
