using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// One live subscriber of <see cref="EventBroadcaster"/>: a bounded queue that drops its oldest event when full, and
/// then hands the reader a gap marker before the next event. Dispose to unsubscribe.
/// </summary>
internal sealed class EventSubscription : IDisposable
{
    public const int Capacity = 1_000;
    private readonly Channel<StoredEvent> _queue;
    private readonly Action<EventSubscription> _unsubscribe;
    private int _dropped;

    public EventSubscription(Action<EventSubscription> unsubscribe)
    {
        _unsubscribe = unsubscribe;
        _queue = Channel.CreateBounded<StoredEvent>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Exchange(ref _dropped, 1));
    }

    internal void Offer(StoredEvent stored) => _queue.Writer.TryWrite(stored);

    public async IAsyncEnumerable<EventFeedItem> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _queue.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_queue.Reader.TryRead(out var stored))
            {
                if (Interlocked.Exchange(ref _dropped, 0) == 1)
                {
                    yield return EventFeedItem.Gap;
                }

                yield return new EventFeedItem(stored);
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _unsubscribe(this);
    }
}
