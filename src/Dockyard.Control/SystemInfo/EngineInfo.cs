namespace Dockyard.Control.SystemInfo;

/// <summary>The fields of <c>GET /info</c> Dockyard uses (names as dockerd sends them, matched case-insensitively).</summary>
public sealed record EngineInfo
{
    /// <summary>The engine's own id (not the Swarm node id).</summary>
    public string? Id { get; init; }

    /// <summary>Host name of the machine the engine runs on.</summary>
    public string? Name { get; init; }

    public string? ServerVersion { get; init; }

    /// <summary>Human-readable operating system, e.g. <c>Debian GNU/Linux 12 (bookworm)</c>.</summary>
    public string? OperatingSystem { get; init; }

    /// <summary><c>linux</c> or <c>windows</c> (dockerd's <c>OSType</c>).</summary>
    public string? OsType { get; init; }

    /// <summary>Machine architecture as the kernel names it, e.g. <c>x86_64</c>.</summary>
    public string? Architecture { get; init; }

    /// <summary>Number of CPUs (dockerd's <c>NCPU</c>).</summary>
    public int Ncpu { get; init; }

    /// <summary>Total memory in bytes.</summary>
    public long MemTotal { get; init; }

    public int Containers { get; init; }

    public int ContainersRunning { get; init; }

    public int ContainersPaused { get; init; }

    public int ContainersStopped { get; init; }

    public int Images { get; init; }

    /// <summary>Swarm membership; <see cref="SwarmInfo.LocalNodeState"/> is <c>inactive</c> outside a swarm.</summary>
    public SwarmInfo? Swarm { get; init; }
}
