namespace Dockyard.Server.Trust.Signatures;

internal static class SignaturesServiceCollectionExtensions
{
    public static IServiceCollection AddSignatures(this IServiceCollection services) => services;
}
