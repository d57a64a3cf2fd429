using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Data;

internal static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddDockyardData(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Validate(
                o => o.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                $"{DatabaseOptions.Section}:ConnectionString is required when {DatabaseOptions.Section}:Provider is Postgres.")
            .ValidateOnStart();

        // Both pools are registered; only the configured provider's is ever resolved (and configured).
        services.AddPooledDbContextFactory<SqliteDockyardDbContext>((provider, options) =>
            ConfigureSqlite(options, Database(provider), provider.GetRequiredService<IOptions<DataDirectoryOptions>>().Value));
        services.AddPooledDbContextFactory<PostgresDockyardDbContext>((provider, options) => ConfigurePostgres(options, Database(provider)));
        services.AddSingleton<IDbContextFactory<DockyardDbContext>>(provider => Database(provider).Provider switch
        {
            DatabaseProvider.Sqlite => new DockyardDbContextFactory<SqliteDockyardDbContext>(provider.GetRequiredService<IDbContextFactory<SqliteDockyardDbContext>>()),
            DatabaseProvider.Postgres => new DockyardDbContextFactory<PostgresDockyardDbContext>(provider.GetRequiredService<IDbContextFactory<PostgresDockyardDbContext>>()),
            var other => throw new InvalidOperationException($"Unsupported database provider '{other}'."),
        });
        services.TryAddSingleton<GroupCommit>();
        // One implementation per index; each role resolves to it (and to a replacement of the whole index, as in tests).
        services.TryAddSingleton<SqliteTagReader>();
        services.TryAddSingleton<IRegistryIndex, EfRegistryIndex>();
        services.TryAddSingleton<IBlobIndex>(provider => provider.GetRequiredService<IRegistryIndex>());
        services.TryAddSingleton<IManifestIndex>(provider => provider.GetRequiredService<IRegistryIndex>());
        services.TryAddSingleton<ITagIndex>(provider => provider.GetRequiredService<IRegistryIndex>());
        services.TryAddSingleton<IReferrerIndex>(provider => provider.GetRequiredService<IRegistryIndex>());
        services.TryAddSingleton<IRepositoryIndex>(provider => provider.GetRequiredService<IRegistryIndex>());
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<IGarbageCollectionIndex, EfGarbageCollectionIndex>();
        services.TryAddSingleton<IManifestSweepIndex>(provider => provider.GetRequiredService<IGarbageCollectionIndex>());
        services.TryAddSingleton<ILinkSweepIndex>(provider => provider.GetRequiredService<IGarbageCollectionIndex>());
        services.TryAddSingleton<IBlobSweepIndex>(provider => provider.GetRequiredService<IGarbageCollectionIndex>());
        services.TryAddSingleton<IDryRunIndex>(provider => provider.GetRequiredService<IGarbageCollectionIndex>());
        services.TryAddSingleton<IIntegrityIndex, EfIntegrityIndex>();
        services.TryAddSingleton<DatabaseInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<DatabaseInitializer>());
        return services;
    }

    /// <summary>The SQLite connection string: the configured one, or <c>dockyard.db</c> in the data directory.</summary>
    public static string SqliteConnectionString(DatabaseOptions database, DataDirectoryOptions dataDirectory) =>
        string.IsNullOrWhiteSpace(database.ConnectionString)
            ? $"Data Source={Path.Combine(dataDirectory.FullPath, "dockyard.db")}"
            : database.ConnectionString;

    public static void ConfigureSqlite(DbContextOptionsBuilder options, DatabaseOptions database, DataDirectoryOptions dataDirectory)
    {
        var connectionString = SqliteConnectionString(database, dataDirectory);
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(DockyardDbContext).Assembly.GetName().Name));
        options.UseModel(CompiledModels.Sqlite.SqliteDockyardDbContextModel.Instance);
#pragma warning disable EF1001 // see SqliteConnectionWithoutFunctions
        options.ReplaceService<ISqliteRelationalConnection, SqliteConnectionWithoutFunctions>();
#pragma warning restore EF1001
    }

    public static void ConfigurePostgres(DbContextOptionsBuilder options, DatabaseOptions database)
    {
        if (string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            throw new InvalidOperationException(
                $"{DatabaseOptions.Section}:ConnectionString is required when {DatabaseOptions.Section}:Provider is Postgres " +
                "(e.g. Host=db;Database=dockyard;Username=dockyard;Password=…).");
        }

        options.UseNpgsql(database.ConnectionString, npgsql => npgsql.MigrationsAssembly(typeof(DockyardDbContext).Assembly.GetName().Name));
        options.UseModel(CompiledModels.Postgres.PostgresDockyardDbContextModel.Instance);
    }

    private static DatabaseOptions Database(IServiceProvider provider) => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
}
