namespace Dockyard.Server.Control.Containers;

/// <summary>
/// The host configuration an operator checks first: network mode, privileges, added capabilities, host bind mounts,
/// published ports (<c>8080/tcp -&gt; 0.0.0.0:8080</c>), restart policy, read-only root file system.
/// </summary>
internal sealed record ContainerHostView(
    string NetworkMode,
    bool Privileged,
    IReadOnlyList<string> CapAdd,
    IReadOnlyList<string> Binds,
    IReadOnlyList<string> Ports,
    string? RestartPolicy,
    bool ReadonlyRootfs);
