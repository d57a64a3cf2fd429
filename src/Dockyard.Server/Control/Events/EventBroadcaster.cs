using System.Collections.Concurrent;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// The in-process live feed: the event writer publishes what it committed, the <see cref="EventTailer"/> what other
/// replicas committed; each subscriber has its own bounded queue (<see cref="EventSubscription"/>), so a slow one
/// loses its oldest events (and is told so) without holding up anyone.
/// </summary>
internal sealed class EventBroadcaster
{
    private readonly ConcurrentDictionary<EventSubscription, byte> _subscribers = new();
    private readonly SemaphoreSlim _firstSubscriber = new(0, int.MaxValue);

    public int SubscriberCount => _subscribers.Count;

    public EventSubscription Subscribe()
    {
        var subscription = new EventSubscription(s => _subscribers.TryRemove(s, out _));
        _subscribers[subscription] = 0;
        _firstSubscriber.Release();
        return subscription;
    }

    public void Publish(IEnumerable<StoredEvent> events)
    {
        if (_subscribers.IsEmpty)
        {
            return;
        }

        foreach (var stored in events)
        {
            foreach (var subscriber in _subscribers.Keys)
            {
                subscriber.Offer(stored);
            }
        }
    }

    /// <summary>Waits until someone subscribes (returns at once when someone is).</summary>
    public async Task WaitForSubscriberAsync(CancellationToken cancellationToken)
    {
        while (_subscribers.IsEmpty)
        {
            await _firstSubscriber.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
    }
}
