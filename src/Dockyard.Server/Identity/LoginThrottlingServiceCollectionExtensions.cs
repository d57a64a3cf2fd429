using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Identity;

internal static class LoginThrottlingServiceCollectionExtensions
{
    /// <summary>
    /// Decorates the registered <see cref="ICredentialAuthenticator"/> with failed-login throttling. Call after
    /// <see cref="IdentityServiceCollectionExtensions.AddIdentityAndAccess"/>.
    /// </summary>
    public static IServiceCollection AddLoginThrottling(this IServiceCollection services)
    {
        services.AddOptions<LoginThrottleOptions>().BindConfiguration(LoginThrottleOptions.Section);
        services.AddHttpContextAccessor();
        services.TryAddSingleton<LoginThrottle>();
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ICredentialAuthenticator))
            ?? throw new InvalidOperationException("AddIdentityAndAccess must run before AddLoginThrottling.");
        services.Remove(registered);
        services.AddSingleton<ICredentialAuthenticator>(provider => new ThrottledCredentialAuthenticator(
            Resolve(provider, registered),
            provider.GetRequiredService<LoginThrottle>(),
            provider.GetRequiredService<IHttpContextAccessor>(),
            provider.GetRequiredService<Audit.TrustedProxies>(),
            provider.GetRequiredService<Audit.AuditTrail>(),
            provider.GetRequiredService<ILogger<ThrottledCredentialAuthenticator>>()));
        return services;
    }

    private static ICredentialAuthenticator Resolve(IServiceProvider provider, ServiceDescriptor descriptor) =>
        (ICredentialAuthenticator)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));
}
