using Dockyard.Server.Protection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Control.Stacks;

internal static class StacksServiceCollectionExtensions
{
    /// <summary>Stacks: deploy and operations (<see cref="StackService"/>), reads, revisions, and the sealed revision secrets as a protected store.</summary>
    public static IServiceCollection AddStacks(this IServiceCollection services)
    {
        services.TryAddSingleton<StackObjectDigest>();
        services.TryAddSingleton<StackImageResolver>();
        services.TryAddSingleton<StackDeployer>();
        services.TryAddSingleton<StackRevisionCodec>();
        services.TryAddSingleton<StackReader>();
        services.TryAddSingleton<StackRevisionService>();
        services.TryAddSingleton<StackLocks>();
        services.TryAddSingleton<StackService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProtectedSecretStore, StackRevisionSecrets>());
        return services;
    }
}
