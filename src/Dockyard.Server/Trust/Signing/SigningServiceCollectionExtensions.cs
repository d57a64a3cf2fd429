namespace Dockyard.Server.Trust.Signing;

internal static class SigningServiceCollectionExtensions
{
    public static IServiceCollection AddSigning(this IServiceCollection services) => services;
}
