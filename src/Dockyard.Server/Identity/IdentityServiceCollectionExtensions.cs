using Dockyard.Server.Access;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Identity;

internal static class IdentityServiceCollectionExtensions
{
    /// <summary>Authentication (credentials, access tokens) and authorization (the access authorizer).</summary>
    public static IServiceCollection AddIdentityAndAccess(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AccessTokenService>();
        services.AddSingleton<UiSessionStore>();
        services.AddSingleton<UiSessionSignals>();
        services.AddSingleton<LocalAccountsGate>();
        services.TryAddSingleton<PasswordHashing>();
        services.TryAddSingleton<CredentialAuthenticator>();
        services.TryAddSingleton<ICredentialAuthenticator>(provider => provider.GetRequiredService<CredentialAuthenticator>());
        services.TryAddSingleton<Access.Collections.ICollectionGrantSource, Access.Collections.StoredCollectionGrants>();
        services.AddSingleton<AccessAuthorizer>();
        services.AddSingleton<IAccessAuthorizer>(provider => provider.GetRequiredService<AccessAuthorizer>());
        return services;
    }
}
