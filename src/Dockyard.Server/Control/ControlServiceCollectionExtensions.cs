using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control;

internal static class ControlServiceCollectionExtensions
{
    /// <summary>
    /// The control plane's server side: engines from configuration and the database (<see cref="EngineRegistry"/>,
    /// refreshed by <see cref="EngineStatusRefresher"/>), engine and collection-grant management, and the seam every
    /// container, node and image operation goes through: find the engine (<see cref="Containers.ContainerLocator"/>)
    /// and decide in the resource's collection (<see cref="Access.CollectionDecisions"/>, <see cref="Access.ControlLabels"/>). Configured engines are
    /// validated on start: a bad entry stops the server with its message.
    /// </summary>
    public static IServiceCollection AddControl(this IServiceCollection services)
    {
        services.AddOptions<ControlOptions>().BindConfiguration(ControlOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControlOptions>, ControlOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EngineRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EngineStatusRefresher>());
        services.TryAddSingleton<ControlDecisions>();
        services.TryAddSingleton<Access.CollectionDecisions>();
        services.TryAddSingleton<Containers.ContainerLocator>();
        services.TryAddSingleton<Containers.ContainerInventory>();
        services.TryAddSingleton<Containers.ContainerService>();
        services.TryAddSingleton<Cluster.ClusterOverviewService>();
        services.TryAddSingleton<EngineService>();
        services.TryAddSingleton<CollectionGrantService>();
        services.TryAddSingleton<Nodes.NodeWorkloads>();
        services.TryAddSingleton<Nodes.NodeService>();
        services.TryAddSingleton<Nodes.SwarmJoinService>();
        services.TryAddSingleton<Exec.TerminalRelay>();
        services.TryAddSingleton<Exec.ExecService>();
        services.TryAddSingleton<Exec.ExecTerminal>();
        Events.EngineEventsServiceCollectionExtensions.AddEngineEvents(services);
        services.TryAddSingleton<Images.RegistryAddress>();
        services.TryAddSingleton<Images.RuntimeUsage>();
        services.TryAddSingleton<Images.EngineImageService>();
        services.TryAddSingleton<Logs.ContainerLogService>();
        services.TryAddSingleton<Logs.LogEventStream>();
        services.TryAddSingleton<Stats.ContainerStatsHub>();
        services.TryAddSingleton<Stats.ContainerStatsService>();
        Stacks.StacksServiceCollectionExtensions.AddStacks(services);
        Stacks.Follow.StackFollowServiceCollectionExtensions.AddStackFollow(services);
        Stacks.Status.StackStatusServiceCollectionExtensions.AddStackStatus(services);
        return services;
    }
}
