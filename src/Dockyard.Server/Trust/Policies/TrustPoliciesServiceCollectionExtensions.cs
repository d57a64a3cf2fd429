namespace Dockyard.Server.Trust.Policies;

internal static class TrustPoliciesServiceCollectionExtensions
{
    public static IServiceCollection AddTrustPolicies(this IServiceCollection services) => services;
}
