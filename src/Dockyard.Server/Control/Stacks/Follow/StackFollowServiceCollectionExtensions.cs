using Dockyard.Server.Control.Stacks.Hooks;
using Dockyard.Server.Events;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Control.Stacks.Follow;

internal static class StackFollowServiceCollectionExtensions
{
    /// <summary>
    /// Redeploy on push and by hook: the registry event consumer and the hook service feed one bounded queue
    /// (<see cref="StackWorkQueue"/>) drained by one background worker (<see cref="StackFollowWorker"/>); the deploy
    /// gate (issue #18) and "update available" (<see cref="StackUpdateChecker"/>).
    /// </summary>
    public static IServiceCollection AddStackFollow(this IServiceCollection services)
    {
        services.AddOptions<StackFollowOptions>().BindConfiguration(StackFollowOptions.Section);
        services.AddOptions<StackHookOptions>().BindConfiguration(StackHookOptions.Section);
        services.TryAddSingleton<StackWorkQueue>();
        services.TryAddSingleton<StackActingUser>();
        services.TryAddSingleton<IStackDeployGate, AllowAllStackDeployGate>();
        services.TryAddSingleton<IStackRedeployer, StackServiceRedeployer>();
        services.TryAddSingleton<StackFollowRunner>();
        services.TryAddSingleton<StackUpdateChecker>();
        services.TryAddSingleton<StackHookLimiter>();
        services.TryAddSingleton<StackHookService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRegistryEventConsumer, StackFollowEventConsumer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StackFollowWorker>());
        return services;
    }
}
