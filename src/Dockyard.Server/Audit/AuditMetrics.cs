using Dockyard.Server.Observability;
using Prometheus;

namespace Dockyard.Server.Audit;

/// <summary>Audit counters on the server's <c>/metrics</c>.</summary>
internal sealed class AuditMetrics
{
    private readonly Counter _written;
    private readonly Counter _dropped;
    private readonly Counter _sinkDropped;
    private readonly Counter _sinkFailures;
    private readonly Counter _deferred;
    private readonly Counter _deferredDropped;

    public AuditMetrics(RegistryMetrics registry)
    {
        var factory = Metrics.WithCustomRegistry(registry.Registry);
        _written = factory.CreateCounter("dockyard_audit_entries_written_total", "Audit entries committed.");
        _dropped = factory.CreateCounter("dockyard_audit_pull_entries_dropped_total", "Pull audit entries dropped because the write queue was full.");
        _sinkDropped = factory.CreateCounter("dockyard_audit_sink_entries_dropped_total", "Entries not streamed to the SIEM sinks because their queue was full.", "sink");
        _sinkFailures = factory.CreateCounter("dockyard_audit_sink_failures_total", "Failed SIEM sink writes (the sink reconnects and retries).", "sink");
        _deferred = factory.CreateCounter("dockyard_audit_deferred_total", "Audit entries of reads and logins kept in memory because the storage was full (written once there is space).");
        _deferredDropped = factory.CreateCounter("dockyard_audit_dropped_total", "Deferred audit entries lost: the deferred queue was full, or the server stopped before there was space.");
    }

    public long DroppedPulls => (long)_dropped.Value;

    public void Written(int count) => _written.Inc(count);

    public void DroppedPull() => _dropped.Inc();

    public void SinkDropped(string sink) => _sinkDropped.WithLabels(sink).Inc();

    public void SinkFailed(string sink) => _sinkFailures.WithLabels(sink).Inc();

    public void Deferred(int count) => _deferred.Inc(count);

    public void DroppedDeferred(int count) => _deferredDropped.Inc(count);
}
