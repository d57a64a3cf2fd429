namespace Dockyard.Server.Control;

/// <summary><c>Dockyard:Control</c>: the engines from configuration and how often their status is refreshed.</summary>
internal sealed class ControlOptions
{
    public const string Section = "Dockyard:Control";

    /// <summary>Engines configured by the operator: listed as <c>configured</c>, never changed or deleted through the API.</summary>
    public List<ConfiguredEngine> Engines { get; set; } = [];

    /// <summary>How often every engine is pinged and its info read (and stored engines re-read, for other replicas' changes).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound of one status probe (ping, info, version), so an unreachable engine never holds a request long.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Dockyard's registry as the engines reach it (<c>host[:port]</c>), the only registry images are pulled from
    /// through Dockyard and the one whose digests the runtime link recognizes; unset: the server's public host:port.
    /// </summary>
    public string? RegistryAddress { get; set; }

    /// <summary>How long what the engines run (<see cref="Images.RuntimeUsage"/>) is reused before the engines are asked again.</summary>
    public TimeSpan UsageCacheTime { get; set; } = TimeSpan.FromSeconds(5);
}
