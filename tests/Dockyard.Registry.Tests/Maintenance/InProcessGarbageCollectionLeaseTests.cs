using Dockyard.Registry.Maintenance;

namespace Dockyard.Registry.Tests.Maintenance;

public sealed class InProcessGarbageCollectionLeaseTests
{
    [Fact]
    public async Task TryAcquire_WhileHeld_ReturnsNullAndAfterReleaseSucceeds()
    {
        var lease = new InProcessGarbageCollectionLease();
        var first = await lease.TryAcquireAsync(CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await lease.TryAcquireAsync(CancellationToken.None));

        await first.DisposeAsync();
        await first.DisposeAsync();

        await using var second = await lease.TryAcquireAsync(CancellationToken.None);
        Assert.NotNull(second);
        Assert.Null(await lease.TryAcquireAsync(CancellationToken.None));
    }
}
