using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Protection;

internal static class ProtectionServiceCollectionExtensions
{
    /// <summary>
    /// Encryption at rest of the secrets kept in the database: the key file, the <see cref="SecretProtector"/> the
    /// features seal their values with (each registers its <see cref="IProtectedSecretStore"/>), and the start-up pass
    /// that seals values still in clear and checks file modes.
    /// </summary>
    public static IServiceCollection AddProtection(this IServiceCollection services)
    {
        services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.Section);
        services.TryAddSingleton<SecretKeyFile>();
        services.TryAddSingleton<SecretProtector>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SecretProtectionInitializer>());
        return services;
    }
}
