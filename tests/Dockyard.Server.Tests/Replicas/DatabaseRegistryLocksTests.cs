using Dockyard.Registry.Coordination;
using Dockyard.Registry.Errors;
using Dockyard.Server.Coordination;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>Database leases between two app instances ("replicas") that share one database file.</summary>
public sealed class DatabaseRegistryLocksTests : IAsyncLifetime
{
    private readonly TempDirectory _shared = new("leases");
    private InProcessDockyard _first = null!;
    private InProcessDockyard _second = null!;

    public async Task InitializeAsync()
    {
        // A long lease: these tests are about who holds it, and a 2-core machine running the suite in parallel can stall a
        // renewal for seconds (a 3 s lease once expired under a waiting replica in a full run). Expiry has its own pair below.
        _first = await InProcessDockyard.StartAsync(settings: Settings(_shared, TimeSpan.FromSeconds(60)));
        _second = await InProcessDockyard.StartAsync(settings: Settings(_shared, TimeSpan.FromSeconds(60)));
    }

    private static Dictionary<string, string?> Settings(TempDirectory shared, TimeSpan lease) => new()
    {
        ["Dockyard:Database:ConnectionString"] = $"Data Source={shared.Combine("dockyard.db")}",
        // Replicas share the secrets key with the database (docs/operations.md, "Secrets key").
        ["Dockyard:Secrets:KeyFile"] = shared.Combine("secrets.key"),
        ["Dockyard:Storage:Path"] = shared.Combine("storage"),
        ["Dockyard:Coordination:Locks"] = "Database",
        ["Dockyard:Coordination:LeaseDuration"] = lease.ToString(),
        ["Dockyard:Coordination:AcquireTimeout"] = "00:00:01",
        ["Dockyard:Auth:Enabled"] = "false",
    };

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _shared.Dispose();
    }

    [Fact]
    public void DatabaseMode_UsesLeases()
    {
        Assert.IsType<DatabaseRegistryLocks>(_first.GetRequiredService<IRegistryLocks>());
    }

    [Fact]
    public async Task AcquireAsync_HeldByOtherReplica_WaitsThenTimesOutWith429()
    {
        var first = _first.GetRequiredService<IRegistryLocks>();
        var second = _second.GetRequiredService<IRegistryLocks>();
        await using (await first.AcquireAsync("tag:a/b:latest", CancellationToken.None))
        {
            var error = await Assert.ThrowsAsync<RegistryException>(async () => await second.AcquireAsync("tag:a/b:latest", CancellationToken.None));
            Assert.Equal(RegistryErrorCode.TooManyRequests, error.Code);

            // Other keys are independent.
            await using (await second.AcquireAsync("tag:a/b:other", CancellationToken.None))
            {
            }
        }

        // Released: the other replica gets it at once.
        await using (await second.AcquireAsync("tag:a/b:latest", CancellationToken.None))
        {
        }
    }

    [Fact]
    public async Task AcquireAsync_WaiterGetsTheLeaseWhenTheHolderReleases()
    {
        var first = _first.GetRequiredService<IRegistryLocks>();
        var second = _second.GetRequiredService<IRegistryLocks>();
        var held = await first.AcquireAsync("upload:x", CancellationToken.None);
        var waiting = second.AcquireAsync("upload:x", CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using (await waiting.WaitAsync(TimeSpan.FromSeconds(5)))
        {
        }
    }

    [Fact]
    public async Task HeldLease_IsRenewedPastItsDuration_AndAHolderThatDiesIsTakenOverAfterExpiry()
    {
        using var shared = new TempDirectory("leases-expiry");
        var holder = await InProcessDockyard.StartAsync(settings: Settings(shared, TimeSpan.FromSeconds(3)));
        await using var other = await InProcessDockyard.StartAsync(settings: Settings(shared, TimeSpan.FromSeconds(3)));
        var second = other.GetRequiredService<IRegistryLocks>();
        var held = await holder.GetRequiredService<IRegistryLocks>().AcquireAsync("upload:y", CancellationToken.None);

        // Held longer than the 3 s lease: renewal keeps it.
        await Task.Delay(TimeSpan.FromSeconds(4));
        await Assert.ThrowsAsync<RegistryException>(async () => await second.AcquireAsync("upload:y", CancellationToken.None));

        // The holder "dies": stop it without releasing (its renewal stops with it). The lease expires and is taken over.
        await holder.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await using (await second.AcquireAsync("upload:y", CancellationToken.None))
        {
        }

        _ = held; // never released: that is the point
    }
}
