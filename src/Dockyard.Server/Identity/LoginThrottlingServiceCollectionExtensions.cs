using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Identity;

internal static class LoginThrottlingServiceCollectionExtensions
{
    /// <summary>
    /// Decorates <see cref="CredentialAuthenticator"/> with failed-login throttling: replaces the plain
    /// <see cref="ICredentialAuthenticator"/> of <see cref="IdentityServiceCollectionExtensions.AddIdentityAndAccess"/>, before or after it.
    /// </summary>
    public static IServiceCollection AddLoginThrottling(this IServiceCollection services)
    {
        services.AddOptions<LoginThrottleOptions>().BindConfiguration(LoginThrottleOptions.Section);
        services.AddHttpContextAccessor();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<PasswordAttemptLimiter>();
        services.TryAddSingleton<CredentialAuthenticator>();
        services.Replace(ServiceDescriptor.Singleton<ICredentialAuthenticator>(provider => new ThrottledCredentialAuthenticator(
            provider.GetRequiredService<CredentialAuthenticator>(),
            provider.GetRequiredService<LoginThrottle>(),
            provider.GetRequiredService<PasswordAttemptLimiter>(),
            provider.GetRequiredService<IHttpContextAccessor>(),
            provider.GetRequiredService<Audit.TrustedProxies>(),
            provider.GetRequiredService<Audit.AuditTrail>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ThrottledCredentialAuthenticator>>())));
        return services;
    }
}
