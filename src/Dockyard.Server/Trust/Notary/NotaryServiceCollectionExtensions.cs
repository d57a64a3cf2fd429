namespace Dockyard.Server.Trust.Notary;

internal static class NotaryServiceCollectionExtensions
{
    public static IServiceCollection AddNotary(this IServiceCollection services) => services;
}
