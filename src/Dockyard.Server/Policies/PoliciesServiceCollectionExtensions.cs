using Dockyard.Registry.Policies;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Policies;

internal static class PoliciesServiceCollectionExtensions
{
    /// <summary>Repository policies: tag immutability and storage quotas on the registry's write path, retention (service, schedule), untagged manifests (list, bulk delete, clean-up).</summary>
    public static IServiceCollection AddPolicies(this IServiceCollection services)
    {
        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.Section);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.Interval > TimeSpan.Zero, "Dockyard:Retention:Interval must be positive.")
            .Validate(o => o.RecentWindow >= TimeSpan.Zero, "Dockyard:Retention:RecentWindow must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<PolicyCache>();
        services.AddSingleton<StorageUsage>();
        services.AddSingleton<StorageReport>();
        services.AddSingleton<RegistryWritePolicy>();
        // Replaces AddRegistry's allow-all default whichever of the two runs first.
        services.Replace(ServiceDescriptor.Singleton<IRegistryWritePolicy>(provider => provider.GetRequiredService<RegistryWritePolicy>()));
        services.AddSingleton<PolicyAccessRules>();
        services.AddSingleton<ImmutabilityRuleService>();
        services.AddSingleton<RetentionPolicyService>();
        services.AddSingleton<QuotaService>();
        services.AddSingleton<RetentionService>();
        services.AddHostedService<RetentionJob>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Accounts.IRepositoryDeletionObserver, PolicyCacheRepositoryDeletion>());
        services.AddSingleton<ManifestRelations>();
        services.AddSingleton<UntaggedManifestService>();
        return services;
    }
}
