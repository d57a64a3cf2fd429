using Dockyard.Server.Identity;

namespace Dockyard.Server.Ldap;

internal static class LdapServiceCollectionExtensions
{
    /// <summary>LDAP / Active Directory: settings, login (as an external password authenticator) and the scheduled sync.</summary>
    public static IServiceCollection AddLdapDirectory(this IServiceCollection services)
    {
        services.AddSingleton<LdapSettingsStore>();
        services.AddSingleton<LdapDirectoryRunner>();
        services.AddSingleton<LdapAccountSync>();
        services.AddSingleton<LdapSynchronizer>();
        services.AddSingleton<LdapAdministration>();
        services.AddSingleton<IExternalPasswordAuthenticator, LdapPasswordAuthenticator>();
        services.AddHostedService<LdapSyncService>();
        return services;
    }
}
