using Dockyard.Server.Ui.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Authentication;

/// <summary>
/// Who is calling, decided once per request: the <see cref="Scheme"/> handler turns the request's credentials into
/// one <see cref="Access.Principal"/> on <c>HttpContext.User</c> (read with <c>HttpContext.GetPrincipal()</c>).
/// Which credentials count depends on the surface: a registry bearer token on <c>/v2</c>; Basic (password or access
/// token) or a Bearer access token on <c>/api/v1</c> and <c>/metrics</c>; the session cookie everywhere else (the web UI). A cookie
/// never authenticates <c>/v2</c> or <c>/api/v1</c>, so those have no CSRF surface.
/// </summary>
internal static class DockyardAuthentication
{
    public const string Scheme = "dockyard";

    public static IServiceCollection AddDockyardAuthentication(this IServiceCollection services)
    {
        services.TryAddSingleton<RegistryBearerCredentials>();
        services.TryAddSingleton<HeaderCredentials>();
        services.TryAddSingleton<SessionCookieCredentials>();
        services.TryAddTransient<DockyardAuthenticationHandler>();
        services.AddAuthentication(options =>
        {
            options.AddScheme(Scheme, scheme => scheme.HandlerType = typeof(DockyardAuthenticationHandler));
            options.DefaultAuthenticateScheme = Scheme;
            options.DefaultChallengeScheme = Scheme;
            options.DefaultForbidScheme = Scheme;
            // Signing in and out is the UI's session cookie.
            options.DefaultSignInScheme = UiCookie.Scheme;
            options.DefaultSignOutScheme = UiCookie.Scheme;
        });
        return services;
    }
}
