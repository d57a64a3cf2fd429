namespace Dockyard.Server.Observability;

/// <summary>Configuration section <c>Dockyard:Metrics</c>.</summary>
public sealed record MetricsOptions
{
    public const string Section = "Dockyard:Metrics";

    /// <summary>Who may read <c>/metrics</c>; the default lets only a scraper on the same host in.</summary>
    public MetricsAccess Access { get; init; } = MetricsAccess.Loopback;
}
