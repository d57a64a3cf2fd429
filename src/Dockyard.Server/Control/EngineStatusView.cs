using Dockyard.Control.SystemInfo;

namespace Dockyard.Server.Control;

/// <summary>
/// The last probe: <c>state</c> is <c>unknown</c> (not probed yet), <c>reachable</c> or <c>unreachable</c> (with
/// <c>message</c>); a reachable engine adds its version, its Swarm node id and role, and its info.
/// </summary>
internal sealed record EngineStatusView(
    string State,
    string? Message,
    DateTimeOffset? CheckedAt,
    string? Version,
    string? ApiVersion,
    string? NodeId,
    string? SwarmRole,
    string? ClusterId,
    EngineInfo? Info)
{
    public static EngineStatusView From(EngineStatus status) => new(
        status.State.ToString().ToLowerInvariant(),
        status.Message,
        status.CheckedAt,
        status.Version?.Version,
        status.Version?.ApiVersion,
        status.NodeId,
        status.SwarmRole,
        status.Info?.Swarm?.Cluster?.Id,
        status.Info);
}
