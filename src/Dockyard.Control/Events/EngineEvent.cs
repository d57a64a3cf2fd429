namespace Dockyard.Control.Events;

/// <summary>
/// One engine event. Actions that carry a suffix on the wire (<c>exec_start: sh -c …</c>,
/// <c>health_status: healthy</c>) are split: <see cref="Action"/> is the part before <c>": "</c> and
/// <see cref="Detail"/> the rest.
/// </summary>
/// <param name="Type">container, image, network, volume, daemon, plugin, service, node, secret, config.</param>
/// <param name="Action">The action without its suffix: create, start, die, stop, exec_start, health_status, update, ….</param>
/// <param name="Detail">The action's suffix (the exec command, the health status), or null.</param>
/// <param name="Actor">The object the event is about.</param>
/// <param name="Scope"><c>local</c>, or <c>swarm</c> for cluster events (only on managers).</param>
/// <param name="Time">When it happened (100 ns precision).</param>
/// <param name="TimeNano">Nanoseconds since the epoch, exact: replay after a reconnect from here.</param>
public sealed record EngineEvent(string Type, string Action, string? Detail, EngineEventActor Actor, string Scope, DateTimeOffset Time, long TimeNano)
{
    /// <summary>Splits <c>"health_status: healthy"</c> into <c>("health_status", "healthy")</c>; plain actions have no detail.</summary>
    public static (string Action, string? Detail) SplitAction(string action)
    {
        var separator = action.IndexOf(": ", StringComparison.Ordinal);
        return separator < 0 ? (action, null) : (action[..separator], action[(separator + 2)..]);
    }
}
