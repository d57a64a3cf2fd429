namespace Dockyard.Server.Trust.Keys;

internal static class TrustKeysServiceCollectionExtensions
{
    public static IServiceCollection AddTrustKeys(this IServiceCollection services) => services;
}
