using Dockyard.Server.Events;

namespace Dockyard.Server.Search;

internal static class SearchServiceCollectionExtensions
{
    /// <summary>Search: the query service, the indexer kept current by registry events, and the one-time build for existing data.</summary>
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddSingleton<SearchImageReader>();
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<SearchIndexQueue>();
        services.AddHostedService(provider => provider.GetRequiredService<SearchIndexQueue>());
        services.AddSingleton<IRegistryEventConsumer, SearchIndexConsumer>();
        services.AddHostedService<SearchIndexBootstrap>();
        return services;
    }
}
