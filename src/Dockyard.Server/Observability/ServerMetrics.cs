using Dockyard.Server.Data;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Dockyard.Server.Observability;

/// <summary>
/// The process-wide collectors on the server's registry (<see cref="RegistryMetrics.Registry"/>): prometheus-net's
/// process and .NET runtime statistics (<c>process_*</c>, <c>dotnet_*</c>), <c>dockyard_build_info</c>, and the data
/// volume's free and total bytes, read (one <c>statvfs</c>) at every scrape.
/// </summary>
internal sealed class ServerMetrics
{
    private readonly Gauge _buildInfo;

    public ServerMetrics(RegistryMetrics metrics, IOptions<DataDirectoryOptions> dataDirectory)
    {
        Registry = metrics.Registry;
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        _buildInfo = factory.CreateGauge("dockyard_build_info", "The running build: version and git commit (always 1).", "version", "commit");
        var free = factory.CreateGauge("dockyard_data_volume_free_bytes", "Bytes free for Dockyard on the file system of the data directory.");
        var total = factory.CreateGauge("dockyard_data_volume_total_bytes", "Size of the file system of the data directory.");
        var path = dataDirectory.Value.FullPath;
        Registry.AddBeforeCollectCallback(() =>
        {
            if (DataVolume.TryRead(path) is { } volume)
            {
                free.Set(volume.FreeBytes);
                total.Set(volume.TotalBytes);
            }
        });
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Sets <c>dockyard_build_info{version,commit} 1</c>; the host passes its build (<see cref="BuildInfo.Current"/>).</summary>
    public void SetBuild(string version, string commit) => _buildInfo.WithLabels(version, commit).Set(1);
}
