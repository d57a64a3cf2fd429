namespace Dockyard.Registry.Events;

/// <summary>
/// Where the registry raises its events. Implementations must not block the request path: they queue
/// and return (audit, webhooks and index updates drain the queue elsewhere).
/// </summary>
public interface IRegistryEventSink
{
    void Publish(RegistryEvent registryEvent);
}
