using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Policies;
using Dockyard.Server.Events;
using Dockyard.Server.Jobs;
using Dockyard.Server.Observability;
using Dockyard.Server.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Distribution;

internal static class RegistryServiceCollectionExtensions
{
    /// <summary>The registry core (content services over storage and index) and its HTTP plumbing.</summary>
    public static IServiceCollection AddRegistry(this IServiceCollection services)
    {
        services.AddOptions<RegistryOptions>().BindConfiguration("Dockyard:Registry");
        services.TryAddSingleton(TimeProvider.System);
        services.AddRegistryEvents();
        // Token authentication unless explicitly disabled (Dockyard:Auth:Enabled=false), which is announced loudly.
        services.TryAddSingleton<OpenAccessGuard>();
        services.TryAddSingleton<TokenAccessGuard>();
        services.TryAddSingleton<IRegistryAccessGuard>(provider => provider.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled
            ? provider.GetRequiredService<TokenAccessGuard>()
            : provider.GetRequiredService<OpenAccessGuard>());
        services.AddHostedService<OpenAccessWarning>();
        // Policies (immutability, quotas) replace this when the host adds them.
        services.TryAddSingleton<IRegistryWritePolicy, AllowAllWritePolicy>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<BlobService>();
        services.AddSingleton<ManifestBodyCache>();
        services.AddSingleton<ManifestService>();
        services.AddSingleton<TagDeletionService>();
        services.AddSingleton<IndexRebuilder>();
        services.AddOptions<GarbageCollectionOptions>().BindConfiguration(GarbageCollectionOptions.Section)
            .Validate(o => o.Grace >= TimeSpan.Zero && o.BatchSize > 0 && o.UntaggedMinimumAge >= TimeSpan.Zero, "Garbage collection: Grace and UntaggedMinimumAge must not be negative, BatchSize must be positive.")
            .ValidateOnStart();
        services.AddSingleton<GarbageCollector>();
        services.AddSingleton<GarbageCollectionRunner>();
        services.AddSingleton<GarbageCollectionScheduleStore>();
        services.AddSingleton<GarbageCollectionHistory>();
        services.AddSingleton<IntegrityChecker>();
        services.AddHostedService<GarbageCollectionService>();
        services.AddSingleton<RegistryMetrics>();
        services.TryAddSingleton<RegistryRequestMetrics>();
        services.AddHostedService<UploadPurgeService>();
        services.AddHostedService<RegistryGaugeRefresher>();
        return services;
    }
}
