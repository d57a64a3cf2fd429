using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Addressing;

internal static class AddressingServiceCollectionExtensions
{
    /// <summary>
    /// The public URL (<see cref="PublicUrl"/>), validated on start, and host filtering: a request whose Host is not
    /// an allowed host gets 400 before any endpoint runs (<c>UseHostFiltering</c> in the pipeline).
    /// </summary>
    public static IServiceCollection AddPublicUrl(this IServiceCollection services)
    {
        services.AddOptions<PublicUrlOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Configured = configuration[PublicUrlOptions.Key];
                options.AllowedHosts = configuration["AllowedHosts"];
                var urls = (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
                options.ListenUrls = [.. urls.Concat(endpoints)];
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PublicUrlOptions>, PublicUrlValidation>());
        services.TryAddSingleton<PublicUrl>();
        services.AddOptions<HostFilteringOptions>()
            .Configure<IOptions<PublicUrlOptions>>((filtering, options) =>
            {
                filtering.AllowedHosts = [.. PublicUrlRules.AllowedHosts(options.Value)];
            });
        return services;
    }
}
