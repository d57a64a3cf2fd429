using System.Text.Json.Nodes;
using Dockyard.Control.Engines;
using Dockyard.Control.Events;
using Dockyard.Control.Stacks;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// The stack of networks, secrets and configs for their events, which carry only the name: the object is inspected
/// once on the engine that reported it and its <c>com.docker.stack.namespace</c> label kept by id (one consumer's
/// cache, bounded), so a network's many connect/disconnect events cost one inspect, and its removal — when the object
/// is gone — still finds the stack it was seen with. An object first seen at its removal has no stack (null).
/// </summary>
internal sealed class ObjectStacks
{
    private const int MaxEntries = 4096;
    private readonly Dictionary<string, string?> _known = new(StringComparer.Ordinal);

    /// <summary>Whether events of this type need <see cref="StackOfAsync"/> (the others carry their labels).</summary>
    public static bool Applies(string type) => type is "network" or "secret" or "config";

    public async Task<string?> StackOfAsync(EngineClient client, EngineEvent e, CancellationToken cancellationToken)
    {
        var key = e.Type + ":" + e.Actor.Id;
        if (_known.TryGetValue(key, out var stack))
        {
            if (e.Action is "destroy" or "remove")
            {
                _known.Remove(key);
            }

            return stack;
        }

        if (e.Action is "destroy" or "remove" || string.IsNullOrEmpty(e.Actor.Id))
        {
            return null;
        }

        JsonObject body;
        try
        {
            body = await client.GetAsync(e.Type + "s/" + Uri.EscapeDataString(e.Actor.Id), EventsJsonContext.Default.JsonObject, cancellationToken);
        }
        catch (EngineApiException)
        {
            // Gone already, or not a manager: no stack for this event, and asked again next time.
            return null;
        }

        // Networks have their labels at the top; secrets and configs in their spec.
        var labels = (e.Type == "network" ? body["Labels"] : body["Spec"]?["Labels"]) as JsonObject;
        stack = labels?[StackLabels.Namespace] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (_known.Count >= MaxEntries)
        {
            _known.Clear();
        }

        _known[key] = stack;
        return stack;
    }
}
