using Dockyard.Registry.Events;
using Dockyard.Server.Coordination;
using Dockyard.Server.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Events;

internal static class RegistryEventsServiceCollectionExtensions
{
    /// <summary>
    /// The registry event pipeline: <see cref="ChannelRegistryEventSink"/> as the registry's sink,
    /// <see cref="RegistryOutboxCodec"/> writing the outbox rows the index records with each change, and the two
    /// dispatchers feeding every registered <see cref="IRegistryEventConsumer"/>: <see cref="RegistryOutboxDispatcher"/>
    /// (recorded events, at least once) and <see cref="RegistryEventDispatcher"/> (in-memory ones, best effort).
    /// </summary>
    public static IServiceCollection AddRegistryEvents(this IServiceCollection services)
    {
        services.AddOptions<RegistryEventOptions>().BindConfiguration(RegistryEventOptions.Section)
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.OutboxRetention >= TimeSpan.Zero, "Invalid Dockyard:Events settings.")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.TryAddSingleton<RegistryOutboxSignal>();
        services.TryAddSingleton<ChannelRegistryEventSink>();
        services.TryAddSingleton<IRegistryEventSink>(provider => provider.GetRequiredService<ChannelRegistryEventSink>());
        services.TryAddSingleton<RegistryOutboxCodec>();
        services.TryAddSingleton<IRegistryOutboxSerializer>(provider => provider.GetRequiredService<RegistryOutboxCodec>());
        services.TryAddSingleton<RegistryEventConsumers>();
        services.TryAddSingleton(provider => new RegistryOutboxLease(
            CoordinationServiceCollectionExtensions.EffectiveMode(provider) == LockMode.Database ? provider.GetRequiredService<DatabaseRegistryLocks>() : null));
        services.AddHostedService<RegistryOutboxDispatcher>();
        services.AddHostedService<RegistryEventDispatcher>();
        return services;
    }
}
