namespace Dockyard.Control.Containers;

/// <summary>The parts of a container's <c>HostConfig</c> that matter for an operator's risk view.</summary>
public sealed record ContainerHostConfig
{
    /// <summary>none, host, bridge, container:&lt;id&gt; or a network name.</summary>
    public string NetworkMode { get; init; } = string.Empty;

    public bool Privileged { get; init; }

    public IReadOnlyList<string>? CapAdd { get; init; }

    /// <summary>Bind mounts as given (<c>/host:/container:ro</c>).</summary>
    public IReadOnlyList<string>? Binds { get; init; }
}
