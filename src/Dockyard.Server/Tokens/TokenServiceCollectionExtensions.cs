using Dockyard.Server.Protection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Tokens;

internal static class TokenServiceCollectionExtensions
{
    /// <summary>The Docker token server: signing keys and their CA (the <c>x5c</c> chain), token issuing and validation, refresh tokens.</summary>
    public static IServiceCollection AddTokenAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<TokenCertificateAuthority>();
        services.AddSingleton<RegistryTokenIssuer>();
        services.AddSingleton<RegistryTokenCache>();
        services.AddSingleton<RegistryTokenValidator>();
        services.AddSingleton<RefreshTokenService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProtectedSecretStore, SigningKeySecrets>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProtectedSecretStore, TokenCertificateAuthoritySecrets>());
        return services;
    }
}
