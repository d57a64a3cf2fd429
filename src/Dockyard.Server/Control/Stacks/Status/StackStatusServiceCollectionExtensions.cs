using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Control.Stacks.Status;

internal static class StackStatusServiceCollectionExtensions
{
    /// <summary>Stack status and live resources (<see cref="StackStatusService"/>, <see cref="StackStatsHub"/>).</summary>
    public static IServiceCollection AddStackStatus(this IServiceCollection services)
    {
        services.TryAddSingleton<StackStatsHub>();
        services.TryAddSingleton<StackStatusService>();
        return services;
    }
}
