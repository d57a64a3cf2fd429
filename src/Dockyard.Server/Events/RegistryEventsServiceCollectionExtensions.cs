using Dockyard.Registry.Events;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Events;

internal static class RegistryEventsServiceCollectionExtensions
{
    /// <summary>
    /// The registry event pipeline: <see cref="ChannelRegistryEventSink"/> as the registry's sink and the
    /// <see cref="RegistryEventDispatcher"/> feeding every registered <see cref="IRegistryEventConsumer"/>.
    /// </summary>
    public static IServiceCollection AddRegistryEvents(this IServiceCollection services)
    {
        services.AddOptions<RegistryEventOptions>().BindConfiguration(RegistryEventOptions.Section);
        services.AddHttpContextAccessor();
        services.TryAddSingleton<ChannelRegistryEventSink>();
        services.TryAddSingleton<IRegistryEventSink>(provider => provider.GetRequiredService<ChannelRegistryEventSink>());
        services.AddHostedService<RegistryEventDispatcher>();
        return services;
    }
}
