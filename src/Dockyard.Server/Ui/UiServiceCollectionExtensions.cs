using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Dockyard.Server.Ui.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Ui;

internal static class UiServiceCollectionExtensions
{
    /// <summary>
    /// The web UI: Razor components rendered on the server (static SSR), cookie sessions for the UI only, antiforgery
    /// on every form, and data-protection keys kept in the database so sessions survive a restart and work on every replica.
    /// </summary>
    public static IServiceCollection AddWebUi(this IServiceCollection services)
    {
        services.AddOptions<UiOptions>().BindConfiguration(UiOptions.Section)
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.AbsoluteTimeout >= o.IdleTimeout, "Dockyard:Ui: IdleTimeout must be positive and AbsoluteTimeout at least IdleTimeout.")
            .Validate(o => o.PullCountFlushInterval > TimeSpan.Zero, "Dockyard:Ui: PullCountFlushInterval must be positive.")
            .ValidateOnStart();
        services.AddOptions<Identity.UiSessionLifetimeOptions>().Configure<IOptions<UiOptions>>((lifetime, ui) =>
        {
            lifetime.Idle = ui.Value.IdleTimeout;
            lifetime.Absolute = ui.Value.AbsoluteTimeout;
        });
        services.AddHttpContextAccessor();
        services.AddRazorComponents();
        services.AddSingleton<UiAssets>();
        services.AddSingleton<UiFlash>();
        services.AddScoped<UiSession>();
        services.AddSingleton<Data.RepositoryBrowser>();
        services.AddSingleton<Data.BlobReader>();
        services.AddSingleton<Data.ManifestSummarizer>();
        services.AddSingleton<Data.TagBrowser>();
        services.AddSingleton<Data.ImageInspector>();
        services.AddSingleton<Stacks.StackPermissions>();

        // Tag "pushed by" / "last pulled" columns and pull counts, fed from registry events (the UI's tags table shows them).
        services.AddSingleton<Events.IRegistryEventConsumer, Data.TagActivityRecorder>();
        services.AddSingleton<Data.PullCounter>();
        services.AddHostedService<Data.PullCountFlusher>();

        services.AddDataProtection().SetApplicationName("dockyard");

        // The key ring lives in the database (DatabaseKeyRing) so all replicas share it, each key sealed as a whole by the
        // repository with the secrets key (see docs/security.md); the framework's start-up warning that no XML encryptor
        // is configured would be wrong.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error));
        services.AddOptions<KeyManagementOptions>().Configure<IDbContextFactory<DockyardDbContext>, TimeProvider, SecretProtector>((keys, contexts, time, protector) =>
            keys.XmlRepository = new DatabaseKeyRing(contexts, time, protector));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProtectedSecretStore, KeyRingSecrets>());

        // The session cookie's scheme. It is read only through Authentication/DockyardAuthentication's handler, which
        // never lets it authenticate /v2 or /api/v1 (no CSRF surface there).
        services.AddAuthentication().AddCookie(UiCookie.Scheme);
        services.AddOptions<CookieAuthenticationOptions>(UiCookie.Scheme).Configure<IOptions<UiOptions>>((cookie, ui) =>
        {
            cookie.Cookie.Name = UiCookie.Name;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = ui.Value.RequireSecureCookie ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.IsEssential = true;
            cookie.ExpireTimeSpan = ui.Value.IdleTimeout;
            cookie.SlidingExpiration = true;

            // Pages decide where to send anonymous callers; the handler itself never redirects.
            cookie.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddOptions<AntiforgeryOptions>().Configure<IOptions<UiOptions>>((antiforgery, ui) =>
        {
            antiforgery.Cookie.Name = UiCookie.AntiforgeryName;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = ui.Value.RequireSecureCookie ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "__csrf";
        });

        // Last: authentication and antiforgery add data protection (and its eager key-ring loader) again. The loader is the
        // data-protection assembly's only hosted service, an internal type: matched by its assembly, not by a name.
        if (services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Assembly == typeof(KeyManagementOptions).Assembly) is { } eager)
        {
            services.Remove(eager);
        }

        services.AddHostedService<KeyRingWarmUp>();
        return services;
    }
}
