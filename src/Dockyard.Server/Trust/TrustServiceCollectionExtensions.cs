namespace Dockyard.Server.Trust;

internal static class TrustServiceCollectionExtensions
{
    /// <summary>
    /// Content trust: trusted keys of organizations and teams (<c>Keys</c>), signatures found and verified
    /// (<c>Signatures</c>), signing through Dockyard (<c>Signing</c>), signature policies enforced at deploy and pull
    /// (<c>Policies</c>) and Docker Content Trust through a notary server (<c>Notary</c>).
    /// </summary>
    public static IServiceCollection AddTrust(this IServiceCollection services)
    {
        Keys.TrustKeysServiceCollectionExtensions.AddTrustKeys(services);
        Signatures.SignaturesServiceCollectionExtensions.AddSignatures(services);
        Signing.SigningServiceCollectionExtensions.AddSigning(services);
        Policies.TrustPoliciesServiceCollectionExtensions.AddTrustPolicies(services);
        Notary.NotaryServiceCollectionExtensions.AddNotary(services);
        return services;
    }
}
