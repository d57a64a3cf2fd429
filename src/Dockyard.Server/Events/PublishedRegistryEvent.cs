using Dockyard.Registry.Events;
using Dockyard.Server.Access;

namespace Dockyard.Server.Events;

/// <summary>
/// A registry event as the server saw it published: the domain event plus request context captured at publish
/// time (the registry core knows nothing of HTTP, so it cannot carry these itself).
/// </summary>
/// <param name="Event">The domain event.</param>
/// <param name="Actor">The <c>/v2</c> caller; null when authentication is off or the event came from outside a request.</param>
internal sealed record PublishedRegistryEvent(RegistryEvent Event, Principal? Actor)
{
    /// <summary>
    /// Set for an event recorded in the outbox: fixed when recorded and the same on every hand-over, so a consumer
    /// recognises a repeat (delivery is at least once). Null for in-memory events (pulls), handed over at most once.
    /// </summary>
    public string? EventId { get; init; }

    /// <summary>The event's <c>registry_outbox</c> row id; null for in-memory events.</summary>
    public long? OutboxId { get; init; }
}
