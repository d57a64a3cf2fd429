namespace Dockyard.Server.Control;

/// <summary>One entry of <c>Dockyard:Control:Engines</c>.</summary>
internal sealed class ConfiguredEngine
{
    public string? Name { get; set; }

    /// <summary><c>unix:///run/docker.sock</c> or <c>tcp://host:2376</c>.</summary>
    public string? Endpoint { get; set; }

    public string? CaFile { get; set; }

    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }
}
