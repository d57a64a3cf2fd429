using Dockyard.Server.Identity;
using Dockyard.Server.Protection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Ldap;

internal static class LdapServiceCollectionExtensions
{
    /// <summary>LDAP / Active Directory: settings, login (as an external password authenticator) and the scheduled sync.</summary>
    public static IServiceCollection AddLdapDirectory(this IServiceCollection services)
    {
        services.AddSingleton<LdapSettingsStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProtectedSecretStore, LdapSettingsSecrets>());
        services.AddSingleton<LdapDirectoryRunner>();
        services.AddSingleton<LdapAccountSync>();
        services.AddSingleton<LdapSynchronizer>();
        services.AddSingleton<LdapAdministration>();
        services.AddSingleton<IExternalPasswordAuthenticator, LdapPasswordAuthenticator>();
        services.AddHostedService<LdapSyncService>();
        return services;
    }
}
