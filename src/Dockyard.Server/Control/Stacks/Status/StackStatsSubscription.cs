using System.Threading.Channels;
using Dockyard.Server.Control.Stats;

namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>
/// One viewer of a stack's resources (<see cref="StackStatsHub.Subscribe"/>): a channel holding only the latest sum,
/// so a slow viewer skips sums instead of queueing them. Completed when the stack is gone (<see cref="End"/>).
/// Dispose it when the viewer leaves: the last one to leave stops the stack's watcher.
/// </summary>
internal sealed class StackStatsSubscription : IDisposable
{
    private readonly Channel<StackStatsSample> _samples = Channel.CreateBounded<StackStatsSample>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false });

    private readonly StackStatsFeed _feed;
    private int _disposed;

    internal StackStatsSubscription(StackStatsFeed feed)
    {
        _feed = feed;
    }

    /// <summary>The sums, newest only, about once a second; completes when the stack is gone.</summary>
    public ChannelReader<StackStatsSample> Samples => _samples.Reader;

    /// <summary>Why the sums ended (<c>removed</c>: the stack has no services left), once <see cref="Samples"/> completed.</summary>
    public StatsEnd? End { get; private set; }

    internal void Offer(StackStatsSample sample) => _samples.Writer.TryWrite(sample);

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
