using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Control.Events;

internal static class EngineEventsServiceCollectionExtensions
{
    /// <summary>
    /// The cluster event history: one consumer per engine under a database lease (<see cref="EngineEventWatcher"/>),
    /// the batched writer, the live feed (<see cref="EventBroadcaster"/>, <see cref="EventTailer"/>), attribution and
    /// retention (<see cref="EventHousekeeping"/>) and search (<see cref="EventSearch"/>). The writer is registered
    /// before the watcher, so it stops after it (hosted services stop in reverse order) and takes its last checkpoint.
    /// </summary>
    public static IServiceCollection AddEngineEvents(this IServiceCollection services)
    {
        services.AddOptions<EngineEventsOptions>().BindConfiguration(EngineEventsOptions.Section);
        services.TryAddSingleton<EventBroadcaster>();
        services.TryAddSingleton<EventAttribution>();
        services.TryAddSingleton<EventLeases>();
        services.TryAddSingleton<EventSearch>();
        services.TryAddSingleton<EventWriter>();
        services.TryAddSingleton<EngineEventWatcher>();
        services.TryAddSingleton<EventTailer>();
        services.TryAddSingleton<EventHousekeeping>();
        services.AddHostedService(provider => provider.GetRequiredService<EventWriter>());
        services.AddHostedService(provider => provider.GetRequiredService<EngineEventWatcher>());
        services.AddHostedService(provider => provider.GetRequiredService<EventTailer>());
        services.AddHostedService(provider => provider.GetRequiredService<EventHousekeeping>());
        return services;
    }
}
