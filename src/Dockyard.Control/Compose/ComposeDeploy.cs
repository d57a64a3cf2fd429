namespace Dockyard.Control.Compose;

/// <summary>A service's <c>deploy:</c> section.</summary>
public sealed record ComposeDeploy
{
    /// <summary><c>replicated</c> (the default) or <c>global</c>.</summary>
    public string Mode { get; init; } = "replicated";

    public long? Replicas { get; init; }

    public ComposeResourceSpec? Limits { get; init; }

    public ComposeResourceSpec? Reservations { get; init; }

    public ComposeRestartPolicy? RestartPolicy { get; init; }

    public ComposeUpdateConfig? UpdateConfig { get; init; }

    public ComposeUpdateConfig? RollbackConfig { get; init; }

    public IReadOnlyList<string> Constraints { get; init; } = [];

    /// <summary>Spread descriptors of <c>placement.preferences</c>, e.g. <c>node.labels.zone</c>.</summary>
    public IReadOnlyList<string> Preferences { get; init; } = [];

    public long? MaxReplicasPerNode { get; init; }

    /// <summary><c>vip</c> or <c>dnsrr</c>, when given.</summary>
    public string? EndpointMode { get; init; }

    /// <summary><c>deploy.labels</c>: the service's labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
