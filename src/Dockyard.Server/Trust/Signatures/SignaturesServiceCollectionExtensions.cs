using Dockyard.Server.Events;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Trust.Signatures;

internal static class SignaturesServiceCollectionExtensions
{
    /// <summary>
    /// Signatures found and verified: <see cref="ImageTrustService"/> over every <see cref="ISignatureSource"/> (the
    /// registry's own, <see cref="RegistrySignatureSource"/>; others add theirs with <c>TryAddEnumerable</c>), its cache
    /// and the registry event consumer that drops cached verdicts when signatures change.
    /// </summary>
    public static IServiceCollection AddSignatures(this IServiceCollection services)
    {
        services.AddOptions<SignatureOptions>().BindConfiguration(SignatureOptions.Section)
            .Validate(o => o.CacheTtl >= TimeSpan.Zero, "Dockyard:Trust:Signatures:CacheTtl must not be negative.")
            .Validate(o => o.CacheEntries > 0 && o.MaxPayloadBytes > 0 && o.MaxManifestBytes > 0 && o.MaxSignatures > 0 && o.MaxKeysTried > 0 && o.ListConcurrency > 0 && o.MaxFilteredTags > 0,
                "Dockyard:Trust:Signatures limits must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<SignatureBlobReader>();
        services.TryAddSingleton<SignatureVerifier>();
        services.TryAddSingleton<ImageTrustCache>();
        services.TryAddSingleton<ImageTrustService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignatureSource, RegistrySignatureSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRegistryEventConsumer, SignatureCacheInvalidator>());
        return services;
    }
}
