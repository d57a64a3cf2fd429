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
        var settings = new Dictionary<string, string?>
        {
            ["Dockyard:Database:ConnectionString"] = $"Data Source={_shared.Combine("dockyard.db")}",
            // Replicas share the secrets key with the database (docs/operations.md, "Secrets key").
            ["Dockyard:Secrets:KeyFile"] = _shared.Combine("secrets.key"),
            ["Dockyard:Storage:Path"] = _shared.Combine("storage"),
            ["Dockyard:Coordination:Locks"] = "Database",
            ["Dockyard:Coordination:LeaseDuration"] = "00:00:03",
            ["Dockyard:Coordination:AcquireTimeout"] = "00:00:01",
            ["Dockyard:Auth:Enabled"] = "false",
        };
        _first = await InProcessDockyard.StartAsync(settings: settings);
        _second = await InProcessDockyard.StartAsync(settings: settings);
    }

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
        var first = _first.GetRequiredService<IRegistryLocks>();
        var second = _second.GetRequiredService<IRegistryLocks>();
        var held = await first.AcquireAsync("upload:y", CancellationToken.None);

        // Held longer than the 3 s lease: renewal keeps it.
        await Task.Delay(TimeSpan.FromSeconds(4));
        await Assert.ThrowsAsync<RegistryException>(async () => await second.AcquireAsync("upload:y", CancellationToken.None));

        // The holder "dies": stop it without releasing (its renewal stops with it). The lease expires and is taken over.
        await _first.DisposeAsync();
        _first = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dockyard:Database:ConnectionString"] = $"Data Source={_shared.Combine("dockyard.db")}",
            // Replicas share the secrets key with the database (docs/operations.md, "Secrets key").
            ["Dockyard:Secrets:KeyFile"] = _shared.Combine("secrets.key"),
            ["Dockyard:Storage:Path"] = _shared.Combine("storage"),
            ["Dockyard:Auth:Enabled"] = "false",
        });
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await using (await second.AcquireAsync("upload:y", CancellationToken.None))
        {
        }

        _ = held; // never released: that is the point
    }
}
