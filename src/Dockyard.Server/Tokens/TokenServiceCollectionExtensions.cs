using Dockyard.Server.Protection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Tokens;

internal static class TokenServiceCollectionExtensions
{
    /// <summary>The Docker token server: signing keys, token issuing and validation, refresh tokens.</summary>
    public static IServiceCollection AddTokenAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<RegistryTokenIssuer>();
        services.AddSingleton<RegistryTokenCache>();
        services.AddSingleton<RegistryTokenValidator>();
        services.AddSingleton<RefreshTokenService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProtectedSecretStore, SigningKeySecrets>());
        return services;
    }
}
