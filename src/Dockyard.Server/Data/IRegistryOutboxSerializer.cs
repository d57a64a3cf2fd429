using Dockyard.Registry.Events;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Data;

/// <summary>
/// Turns a registry event into its <c>registry_outbox</c> row, with the request context it is raised in, for
/// <see cref="EfRegistryIndex"/> to insert inside the transaction of the change the event describes (the
/// <c>outboxEvent</c> of an index write). Implemented by the event pipeline (<c>Events/RegistryOutboxCodec</c>), which
/// also reads the rows back for the consumers.
/// </summary>
internal interface IRegistryOutboxSerializer
{
    RegistryOutboxEntity ToOutboxRow(RegistryEvent registryEvent);
}
