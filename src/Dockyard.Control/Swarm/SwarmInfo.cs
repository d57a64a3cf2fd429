using System.Text.Json.Serialization;

namespace Dockyard.Control.Swarm;

/// <summary>What <c>GET /swarm</c> answers on a manager (the fields Dockyard uses).</summary>
public sealed record SwarmInfo
{
    /// <summary>The swarm's cluster id.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = string.Empty;

    /// <summary>The swarm object's version; <c>swarm/update</c> must name it.</summary>
    public SwarmObjectVersion Version { get; init; } = new();

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The current join tokens (secrets: never log them).</summary>
    public SwarmJoinTokens JoinTokens { get; init; } = new();
}
