using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Trust.Signing;

internal static class SigningServiceCollectionExtensions
{
    /// <summary>Server-side signing: <see cref="SigningService"/> (authorize, audit), <see cref="SignatureWriter"/> (the registry write), the key store and its access rule.</summary>
    public static IServiceCollection AddSigning(this IServiceCollection services)
    {
        services.TryAddSingleton<SigningKeyStore>();
        services.TryAddSingleton<SigningKeyAccess>();
        services.TryAddSingleton<SignatureWriter>();
        services.TryAddSingleton<SigningService>();
        return services;
    }
}
