using Dockyard.Server.Data;
using Dockyard.Server.Policies;
using Dockyard.Server.Storage;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Health;

/// <summary>
/// Runs the readiness checks — the data directory takes a write (<see cref="WriteProbe"/>), the data volume has
/// <see cref="HealthOptions.MinFreeBytes"/> free, the database takes a write (<see cref="DatabaseWriteCheck"/>); a
/// filesystem blob root outside the data directory gets the first two as well — and keeps the report for a second:
/// a storm of probes (every load balancer, every replica's orchestrator) costs one run, and concurrent callers share it.
/// </summary>
internal sealed partial class ReadinessProbe(
    DatabaseWriteCheck database,
    IOptions<DataDirectoryOptions> dataDirectory,
    IOptions<StorageOptions> storage,
    IOptions<HealthOptions> options,
    TimeProvider time,
    ILogger<ReadinessProbe> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private Task<ReadinessReport>? _current;
    private long _finishedAt;
    private bool _wasReady = true;

    /// <summary>The latest report, run anew when the last one is older than a second.</summary>
    public Task<ReadinessReport> GetAsync()
    {
        lock (_lock)
        {
            if (_current is null || (_current.IsCompleted && time.GetElapsedTime(_finishedAt) >= CacheFor))
            {
                _current = Task.Run(RunAsync);
            }

            return _current;
        }
    }

    private async Task<ReadinessReport> RunAsync()
    {
        var checks = new List<ReadinessCheck>();
        var data = dataDirectory.Value.FullPath;
        checks.Add(WriteProbe.Run("data-directory", data));
        checks.Add(FreeSpace("disk", data));
        if (SeparateBlobRoot() is { } blobs)
        {
            checks.Add(WriteProbe.Run("storage", blobs));
            checks.Add(FreeSpace("storage-disk", blobs));
        }

        checks.Add(await database.RunAsync());
        var report = new ReadinessReport(checks);
        lock (_lock)
        {
            _finishedAt = time.GetTimestamp();
            if (report.Ready != _wasReady)
            {
                _wasReady = report.Ready;
                if (report.Ready)
                {
                    LogReady();
                }
                else
                {
                    LogNotReady(string.Join("; ", report.Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Reason}")));
                }
            }
        }

        return report;
    }

    private ReadinessCheck FreeSpace(string name, string directory)
    {
        var minimum = options.Value.MinFreeBytes;
        if (DataVolume.TryRead(directory) is not { } volume)
        {
            return new ReadinessCheck(name, false, $"cannot read the free space of {directory}");
        }

        var free = $"{ByteSize.Format(volume.FreeBytes)} free on {directory}";
        return volume.FreeBytes < minimum
            ? new ReadinessCheck(name, false, $"{free}, below {ByteSize.Format(minimum)} (Dockyard:Health:MinFreeBytes)")
            : new ReadinessCheck(name, true, free);
    }

    /// <summary>The filesystem blob root when it is configured outside the data directory (S3 keeps no blobs on a local volume).</summary>
    private string? SeparateBlobRoot()
    {
        var settings = storage.Value;
        if (settings.Driver != StorageDriverKind.Filesystem || string.IsNullOrWhiteSpace(settings.Path))
        {
            return null;
        }

        var root = Path.GetFullPath(settings.Path);
        var data = Path.TrimEndingDirectorySeparator(dataDirectory.Value.FullPath) + Path.DirectorySeparatorChar;
        return root.StartsWith(data, StringComparison.Ordinal) ? null : root;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Not ready: {Failures}")]
    private partial void LogNotReady(string failures);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Ready again: every readiness check passes")]
    private partial void LogReady();
}
