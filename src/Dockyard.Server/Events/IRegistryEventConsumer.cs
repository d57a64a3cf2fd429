namespace Dockyard.Server.Events;

/// <summary>
/// Receives every registry event, one at a time, on a dispatcher's background task (never on the request path).
/// Register with <c>services.AddSingleton&lt;IRegistryEventConsumer, …&gt;()</c>. Pushes and deletes come from the outbox,
/// in commit order and at least once: a consumer must tolerate getting the same event again (recognise it by
/// <c>PublishedRegistryEvent.EventId</c>), and an exception makes the dispatcher hand the event to it again later.
/// Pulls and blob uploads come from an in-memory queue, at most once. A slow consumer delays every other one: do
/// bounded work (queue it durably and return) rather than network calls.
/// </summary>
internal interface IRegistryEventConsumer
{
    ValueTask HandleAsync(PublishedRegistryEvent published, CancellationToken cancellationToken);
}
