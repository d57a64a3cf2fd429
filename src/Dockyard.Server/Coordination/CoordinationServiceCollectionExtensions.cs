using Dockyard.Registry.Coordination;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Data;
using Dockyard.Server.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Coordination;

internal static class CoordinationServiceCollectionExtensions
{
    /// <summary>
    /// The registry's write locks (in-process for a single node, database leases when replicas share state) and the
    /// garbage-collection lease (always a database lease: it must hold across processes). The only registration of both, so the order of the features' registrations does not matter.
    /// </summary>
    public static IServiceCollection AddCoordination(this IServiceCollection services)
    {
        services.AddOptions<CoordinationOptions>().BindConfiguration(CoordinationOptions.Section)
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(3), "Dockyard:Coordination:LeaseDuration must be at least 3 seconds.")
            .Validate(o => o.AcquireTimeout > TimeSpan.Zero, "Dockyard:Coordination:AcquireTimeout must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<ProcessRegistryLocks>();
        services.TryAddSingleton<DatabaseRegistryLocks>();
        services.TryAddSingleton<IRegistryLocks>(provider => EffectiveMode(provider) == LockMode.Database
            ? provider.GetRequiredService<DatabaseRegistryLocks>()
            : provider.GetRequiredService<ProcessRegistryLocks>());
        // The collection lease is a database lease in every mode: `dockyard gc` and `dockyard backup` are other
        // processes than the server even on a single node, and a backup holds it to fence collection while it copies.
        services.TryAddSingleton<IGarbageCollectionLease>(provider => new DatabaseGarbageCollectionLease(provider.GetRequiredService<DatabaseRegistryLocks>()));
        return services;
    }

    /// <summary>What <see cref="LockMode.Auto"/> means for this configuration.</summary>
    public static LockMode EffectiveMode(IServiceProvider provider)
    {
        var mode = provider.GetRequiredService<IOptions<CoordinationOptions>>().Value.Locks;
        if (mode != LockMode.Auto)
        {
            return mode;
        }

        // SQLite on local disk is a single-node deployment; anything shareable may have replicas.
        var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        return database.Provider == DatabaseProvider.Sqlite && storage.Driver == StorageDriverKind.Filesystem ? LockMode.Process : LockMode.Database;
    }
}
