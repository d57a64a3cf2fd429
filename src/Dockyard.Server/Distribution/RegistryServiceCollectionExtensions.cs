using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Events;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Jobs;
using Dockyard.Server.Observability;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Distribution;

internal static class RegistryServiceCollectionExtensions
{
    /// <summary>The registry core (content services over storage and index) and its HTTP plumbing.</summary>
    public static IServiceCollection AddRegistry(this IServiceCollection services)
    {
        services.AddOptions<RegistryOptions>().BindConfiguration("Dockyard:Registry");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRegistryEventSink>(NullRegistryEventSink.Instance);
        services.TryAddSingleton<IRegistryAccessGuard, OpenAccessGuard>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<BlobService>();
        services.AddSingleton<ManifestService>();
        services.AddSingleton<IndexRebuilder>();
        services.AddSingleton<RegistryMetrics>();
        services.AddHostedService<UploadPurgeService>();
        services.AddHostedService<RegistryGaugeRefresher>();
        return services;
    }
}
