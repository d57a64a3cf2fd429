using Dockyard.Registry.Coordination;
using Dockyard.Registry.Events;
using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Metadata;
using Dockyard.Registry.Policies;
using Dockyard.Registry.Storage;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Distribution;
using Dockyard.Server.Hosting;
using Dockyard.Server.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Configuration;

/// <summary>
/// The features' <c>AddX()</c> registrations (<see cref="DockyardApp.Features"/>) give the same services in any order:
/// none relies on another having run first, or on overriding it by running later.
/// </summary>
public sealed class FeatureRegistrationOrderTests : IDisposable
{
    private static readonly Type[] KeyServices =
    [
        typeof(IRegistryIndex), typeof(IBlobIndex), typeof(IManifestIndex), typeof(ITagIndex), typeof(IReferrerIndex), typeof(IRepositoryIndex),
        typeof(IGarbageCollectionIndex), typeof(IDryRunIndex), typeof(IRegistryLocks), typeof(IGarbageCollectionLease),
        typeof(ICredentialAuthenticator), typeof(IAccessAuthorizer), typeof(IRegistryWritePolicy), typeof(IRegistryAccessGuard),
        typeof(IRegistryEventSink), typeof(IStorageDriver), typeof(TimeProvider),
    ];

    private readonly string _data = Directory.CreateTempSubdirectory("dockyard-order-").FullName;

    public static TheoryData<string, int[]> Orders()
    {
        var count = DockyardApp.Features.Count;
        var data = new TheoryData<string, int[]> { { "reversed", [.. Enumerable.Range(0, count).Reverse()] } };
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var order = Enumerable.Range(0, count).ToArray();
            new Random(seed).Shuffle(order);
            data.Add($"shuffled {seed}", order);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Features_InAnotherOrder_RegisterAndResolveTheSameServices(string name, int[] order)
    {
        var normal = Register(DockyardApp.Features);
        var other = Register(order.Select(i => DockyardApp.Features[i]));

        Assert.Equal(RegistrationCounts(normal), RegistrationCounts(other));
        using var normalProvider = normal.BuildServiceProvider();
        using var otherProvider = other.BuildServiceProvider();
        foreach (var service in KeyServices)
        {
            Assert.True(
                normalProvider.GetRequiredService(service).GetType() == otherProvider.GetRequiredService(service).GetType(),
                $"{name}: {service.Name} resolves to a different implementation");
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private ServiceCollection Register(IEnumerable<Func<IServiceCollection, IServiceCollection>> features)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([]).Build());
        services.AddLogging();
        services.AddSingleton(Options.Create(new DataDirectoryOptions { Path = _data }));
        foreach (var add in features)
        {
            add(services);
        }

        return services;
    }

    /// <summary>How many registrations each service type has, so a duplicate or a missing one shows.</summary>
    private static SortedDictionary<string, int> RegistrationCounts(ServiceCollection services) =>
        new(services.GroupBy(d => d.ServiceType.FullName ?? d.ServiceType.Name).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}
