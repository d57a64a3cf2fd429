using Dockyard.Control.SystemInfo;

namespace Dockyard.Server.Control;

/// <summary>The last probe of one engine: reachable or not (with the reason), and what it reported.</summary>
internal sealed record EngineStatus
{
    public static readonly EngineStatus Unknown = new() { State = EngineState.Unknown };

    public required EngineState State { get; init; }

    /// <summary>Why the engine is unreachable (the channel's message, never credentials).</summary>
    public string? Message { get; init; }

    public DateTimeOffset? CheckedAt { get; init; }

    public EngineInfo? Info { get; init; }

    public EngineVersion? Version { get; init; }

    /// <summary>The engine's Swarm node id when it is an active swarm member.</summary>
    public string? NodeId => Info?.Swarm is { IsActive: true } swarm ? swarm.NodeId : null;

    /// <summary>True for an active swarm manager.</summary>
    public bool IsManager => Info?.Swarm is { IsActive: true, ControlAvailable: true };

    /// <summary><c>manager</c>, <c>worker</c>, or null outside a swarm.</summary>
    public string? SwarmRole => NodeId is null ? null : IsManager ? "manager" : "worker";
}
