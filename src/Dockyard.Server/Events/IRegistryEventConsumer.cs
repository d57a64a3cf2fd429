namespace Dockyard.Server.Events;

/// <summary>
/// Receives every registry event, in publish order, on the dispatcher's background task (never on the request
/// path). Register with <c>services.AddSingleton&lt;IRegistryEventConsumer, …&gt;()</c>. A consumer that is slow
/// delays the other consumers and, once the queue is full, makes new events drop: do bounded work (queue it
/// durably and return) rather than network calls.
/// </summary>
internal interface IRegistryEventConsumer
{
    ValueTask HandleAsync(PublishedRegistryEvent published, CancellationToken cancellationToken);
}
