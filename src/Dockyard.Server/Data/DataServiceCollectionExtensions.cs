using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Data;

internal static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddDockyardData(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        services.AddPooledDbContextFactory<DockyardDbContext>((provider, options) =>
        {
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataDirectory = provider.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
            ConfigureProvider(options, database, dataDirectory);
        });
        services.AddSingleton<IRegistryIndex, EfRegistryIndex>();
        services.AddSingleton<IGarbageCollectionIndex, EfGarbageCollectionIndex>();
        services.AddSingleton<IIntegrityIndex, EfIntegrityIndex>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<DatabaseInitializer>());
        return services;
    }

    public static void ConfigureProvider(DbContextOptionsBuilder options, DatabaseOptions database, DataDirectoryOptions dataDirectory)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                var connectionString = string.IsNullOrWhiteSpace(database.ConnectionString)
                    ? $"Data Source={Path.Combine(dataDirectory.FullPath, "dockyard.db")}"
                    : database.ConnectionString;
                options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(DockyardDbContext).Assembly.GetName().Name));
                break;
            default:
                throw new InvalidOperationException($"Unsupported database provider '{database.Provider}'.");
        }
    }
}
