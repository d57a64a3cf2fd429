namespace Dockyard.Server.Ui.Cluster;

/// <summary>The fields of the container page's forms: kill's signal, remove's force and volumes.</summary>
public sealed class ContainerForm
{
    public string? Signal { get; set; }

    public bool Force { get; set; }

    public bool Volumes { get; set; }
}
