using System.Threading.Channels;

namespace Dockyard.Server.Control.Streaming;

/// <summary>
/// One viewer of a shared feed: a channel that holds only the latest value, so a slow viewer skips values instead of
/// queueing them. The feed offers values and completes it with why it ended (<see cref="End"/>); the viewer disposes
/// it when it leaves, which tells the feed (the last one out may stop it).
/// </summary>
/// <typeparam name="T">The values (a container's stats sample, a stack's sum).</typeparam>
/// <typeparam name="TEnd">Why the feed ended.</typeparam>
internal sealed class LatestOnlySubscription<T, TEnd> : IDisposable
    where TEnd : class
{
    private readonly Channel<T> _values = Channel.CreateBounded<T>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false });

    private readonly Action<LatestOnlySubscription<T, TEnd>> _left;
    private int _disposed;

    /// <param name="left">Called once, on the first <see cref="Dispose"/>: removes the viewer from its feed.</param>
    internal LatestOnlySubscription(Action<LatestOnlySubscription<T, TEnd>> left)
    {
        _left = left;
    }

    /// <summary>The values, newest only; completes when the feed ends.</summary>
    public ChannelReader<T> Samples => _values.Reader;

    /// <summary>Why the feed ended, once <see cref="Samples"/> has completed.</summary>
    public TEnd? End { get; private set; }

    internal void Offer(T value) => _values.Writer.TryWrite(value);

    internal void Complete(TEnd end)
    {
        End = end;
        _values.Writer.TryComplete();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _left(this);
        }
    }
}
