using Dockyard.Server.Protection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Trust.Keys;

internal static class TrustKeysServiceCollectionExtensions
{
    /// <summary>The trusted keys: the verification-side ring (<see cref="TrustKeyRing"/>), their management (<see cref="TrustKeyService"/>) and the sealed private parts.</summary>
    public static IServiceCollection AddTrustKeys(this IServiceCollection services)
    {
        services.AddOptions<TrustKeyOptions>().BindConfiguration(TrustKeyOptions.Section);
        services.TryAddSingleton<TrustKeyRing>();
        services.TryAddSingleton<TrustKeyService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProtectedSecretStore, TrustKeySecrets>());
        return services;
    }
}
