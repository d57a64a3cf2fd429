namespace Dockyard.Registry.Events;

/// <summary>
/// Where the registry raises its events. Implementations must not block the request path: they queue
/// and return (audit, webhooks and index updates drain the queue elsewhere).
/// </summary>
public interface IRegistryEventSink
{
    /// <summary>An event that was not recorded with its change (pulls, blob uploads): the sink queues it.</summary>
    void Publish(RegistryEvent registryEvent);

    /// <summary>
    /// An event that the index recorded in the same transaction as the change it describes (the <c>outboxEvent</c> of an
    /// index write), raised once that transaction has committed. A sink that delivers from the record (an outbox) only
    /// needs waking; one that does not treats it as any other event.
    /// </summary>
    void PublishRecorded(RegistryEvent registryEvent) => Publish(registryEvent);
}
