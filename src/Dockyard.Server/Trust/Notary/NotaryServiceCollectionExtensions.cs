using Dockyard.Server.Trust.Signatures;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Trust.Notary;

internal static class NotaryServiceCollectionExtensions
{
    /// <summary>
    /// Docker Content Trust: signatures read from the operator's notary server (<see cref="NotarySignatureSource"/>),
    /// which finds nothing and asks nobody unless <c>Dockyard:Trust:Notary:Url</c> is set. Tokens for the notary server come from Dockyard's own
    /// token issuer (its CA chain in every token, see <c>Tokens/TokenCertificateAuthority</c>).
    /// </summary>
    public static IServiceCollection AddNotary(this IServiceCollection services)
    {
        services.AddOptions<NotaryOptions>().BindConfiguration(NotaryOptions.Section)
            .Validate(o => !o.Enabled || (Uri.TryCreate(o.Url, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps && url.Query.Length == 0),
                "Dockyard:Trust:Notary:Url must be an https URL without a query.")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.MaxMetadataBytes > 0 && o.MaxDelegations >= 0 && o.CacheTtl >= TimeSpan.Zero,
                "Dockyard:Trust:Notary limits must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<NotaryMetadataClient>();
        services.TryAddSingleton<NotarySignatureSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignatureSource, NotarySignatureSource>(provider => provider.GetRequiredService<NotarySignatureSource>()));
        return services;
    }
}
