using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Control.Access;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Who sees which event, decided once per (type, collection) for one caller: containers with ContainerView, services
/// with ServiceView, nodes with NodeView in the collection their labels name; other types administrators only.
/// Used for live streams, where collections appear one event at a time.
/// </summary>
internal sealed class EventVisibility(Principal principal, bool administrator, CollectionDecisions decisions)
{
    private readonly Dictionary<(string Type, string Collection), bool> _decided = [];

    public bool IsAdministrator => administrator;

    public async ValueTask<bool> MayViewAsync(StoredEvent e, CancellationToken cancellationToken)
    {
        if (administrator)
        {
            return true;
        }

        if (e.Collection is null || Kind(e.Type) is not { } kind)
        {
            return false;
        }

        if (!_decided.TryGetValue((e.Type, e.Collection), out var allowed))
        {
            var path = CollectionPath.Parse(e.Collection);
            allowed = (await decisions.AllowedAsync(principal, kind.View, kind.Kind, [path], cancellationToken)).Count == 1;
            _decided[(e.Type, e.Collection)] = allowed;
        }

        return allowed;
    }

    /// <summary>The view operation and resource kind deciding events of <paramref name="type"/>; null: administrators only.</summary>
    public static (Operation View, ResourceKind Kind)? Kind(string type) => type switch
    {
        "container" => (Operation.ContainerView, ResourceKind.Container),
        "service" => (Operation.ServiceView, ResourceKind.Service),
        "node" => (Operation.NodeView, ResourceKind.Node),
        _ => null,
    };
}
