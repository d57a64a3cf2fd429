using Dockyard.Server.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Accounts;

internal static class AccountsServiceCollectionExtensions
{
    /// <summary>Account services (users, organizations, teams, repositories' settings and grants, service accounts, tokens) and the first-start administrator.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AuthOptions.Section);
        services.AddSingleton<UserService>();
        services.AddSingleton<OrganizationAccessRules>();
        services.AddSingleton<OrganizationService>();
        services.AddSingleton<TeamService>();
        services.AddSingleton<RepositoryAdministrationRules>();
        services.AddSingleton<RepositoryRemover>();
        services.AddSingleton<RepositoryService>();
        services.AddSingleton<PermissionOverview>();
        services.AddSingleton<ServiceAccountService>();
        services.AddSingleton<AccessTokenManager>();
        services.AddSingleton<UiSessionManager>();
        services.TryAddSingleton(_ => BootstrapConsole.Standard());
        services.AddSingleton<AdminBootstrapper>();
        services.AddHostedService(provider => provider.GetRequiredService<AdminBootstrapper>());
        return services;
    }
}
