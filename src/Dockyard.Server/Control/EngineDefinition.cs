using Dockyard.Control.Engines;

namespace Dockyard.Server.Control;

/// <summary>
/// An engine as the registry knows it, validated (<see cref="EngineRules"/>): from configuration
/// (<see cref="IsConfigured"/>) or from the <c>engines</c> table.
/// </summary>
internal sealed record EngineDefinition
{
    public required string Name { get; init; }

    public required Uri Endpoint { get; init; }

    /// <summary>Client TLS files for <c>tcp://</c>; null for unix sockets and loopback TCP without TLS.</summary>
    public EngineTls? Tls { get; init; }

    public bool IsConfigured { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public string? CreatedBy { get; init; }

    public EngineEndpoint ToEndpoint() => new(Name, Endpoint, Tls);
}
