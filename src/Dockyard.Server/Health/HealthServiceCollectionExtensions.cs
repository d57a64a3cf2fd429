using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Health;

internal static class HealthServiceCollectionExtensions
{
    /// <summary>The readiness probe behind <c>/readyz</c> and its settings (<c>Dockyard:Health</c>).</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section)
            .Validate(o => o.MinFreeBytes >= 0, $"{HealthOptions.Section}:MinFreeBytes cannot be negative.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DatabaseWriteCheck>();
        services.TryAddSingleton<ReadinessProbe>();
        return services;
    }
}
