using Prometheus;

namespace Dockyard.Server.Observability;

/// <summary>
/// Prometheus metrics of the registry, exported at <c>/metrics</c>, and the collector registry that features add
/// their own metrics to (the <c>/v2</c> request counts and latencies, audit, webhooks, events).
/// </summary>
internal sealed class RegistryMetrics
{
    private readonly Counter _bytesIn;
    private readonly Counter _bytesOut;
    private readonly Gauge _gcReclaimedBytes;
    private readonly Gauge _gcBlobs;
    private readonly Gauge _gcDuration;
    private readonly Gauge _gcTimestamp;
    private readonly Counter _gcReclaimedTotal;
    private readonly Counter _gcFailures;

    public RegistryMetrics()
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        _bytesIn = factory.CreateCounter("dockyard_registry_bytes_received_total", "Blob bytes received in uploads.");
        _bytesOut = factory.CreateCounter("dockyard_registry_bytes_sent_total", "Blob bytes sent to clients.");
        UploadsInProgress = factory.CreateGauge("dockyard_registry_uploads_in_progress", "Upload sessions stored and not yet completed.");
        StorageUsedBytes = factory.CreateGauge("dockyard_registry_storage_used_bytes", "Bytes of distinct blobs and manifests referenced by the index.");
        _gcReclaimedBytes = factory.CreateGauge("dockyard_gc_last_reclaimed_bytes", "Bytes the last garbage collection deleted.");
        _gcBlobs = factory.CreateGauge("dockyard_gc_last_deleted_blobs", "Blobs the last garbage collection deleted.");
        _gcDuration = factory.CreateGauge("dockyard_gc_last_duration_seconds", "How long the last garbage collection took.");
        _gcTimestamp = factory.CreateGauge("dockyard_gc_last_run_timestamp_seconds", "When the last garbage collection started (Unix time).");
        _gcReclaimedTotal = factory.CreateCounter("dockyard_gc_reclaimed_bytes_total", "Bytes deleted by garbage collection since start.");
        _gcFailures = factory.CreateCounter("dockyard_gc_failures_total", "Garbage collections (scheduled, CLI or API) that failed with an error since start.");
    }

    /// <summary>This process's own registry, so in-process tests with several hosts never share metrics.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public Gauge UploadsInProgress { get; }

    public Gauge StorageUsedBytes { get; }

    /// <summary>Records a finished (not dry) garbage collection.</summary>
    public void ObserveGarbageCollection(Dockyard.Registry.Maintenance.GarbageCollectionResult result)
    {
        _gcReclaimedBytes.Set(result.ReclaimedBytes);
        _gcBlobs.Set(result.BlobsDeleted);
        _gcDuration.Set(result.Duration.TotalSeconds);
        _gcTimestamp.Set(result.StartedAt.ToUnixTimeMilliseconds() / 1000.0);
        _gcReclaimedTotal.Inc(result.ReclaimedBytes);
    }

    /// <summary>Records a garbage collection that failed (not one refused to its caller or skipped for a running one).</summary>
    public void GarbageCollectionFailed() => _gcFailures.Inc();

    public void AddBytesIn(long bytes) => _bytesIn.Inc(bytes);

    public void AddBytesOut(long bytes) => _bytesOut.Inc(bytes);
}
