using System.Threading.Channels;

namespace Dockyard.Server.Control.Stats;

/// <summary>
/// One viewer of a container's stats (<see cref="ContainerStatsHub.Subscribe"/>): a channel that holds only the
/// latest sample, so a slow viewer skips samples instead of queueing them. Completed when the engine stream ends
/// (<see cref="End"/> says why). Dispose it when the viewer leaves.
/// </summary>
internal sealed class StatsSubscription : IDisposable
{
    private readonly Channel<ContainerStatsView> _samples = Channel.CreateBounded<ContainerStatsView>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });

    private readonly StatsFeed _feed;
    private int _disposed;

    internal StatsSubscription(StatsFeed feed)
    {
        _feed = feed;
    }

    /// <summary>The samples, newest only; completes when the engine stream ends.</summary>
    public ChannelReader<ContainerStatsView> Samples => _samples.Reader;

    /// <summary>Why the stream ended, once <see cref="Samples"/> has completed.</summary>
    public StatsEnd? End { get; private set; }

    internal void Offer(ContainerStatsView sample) => _samples.Writer.TryWrite(sample);

    internal void Complete(StatsEnd end)
    {
        End = end;
        _samples.Writer.TryComplete();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _feed.Remove(this);
        }
    }
}
