using Dockyard.Registry.Events;
using Dockyard.Server.Access;

namespace Dockyard.Server.Events;

/// <summary>
/// A registry event as the server saw it published: the domain event plus request context captured at publish
/// time (the registry core knows nothing of HTTP, so it cannot carry these itself).
/// </summary>
/// <param name="Event">The domain event.</param>
/// <param name="Actor">The <c>/v2</c> caller; null when authentication is off or the event came from outside a request.</param>
internal sealed record PublishedRegistryEvent(RegistryEvent Event, Principal? Actor);
