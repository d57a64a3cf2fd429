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

    // SIEM delivery from the database (AuditStream): how far behind each sink is, and what it confirmed.
    private readonly Gauge _sinkBacklog;
    private readonly Counter _sinkDelivered;

    public AuditMetrics(RegistryMetrics registry)
    {
        var factory = Metrics.WithCustomRegistry(registry.Registry);
        _written = factory.CreateCounter("dockyard_audit_entries_written_total", "Audit entries committed.");
        _dropped = factory.CreateCounter("dockyard_audit_pull_entries_dropped_total", "Pull audit entries dropped because the write queue was full.");
        // Kept at 0 for dashboards that alert on it: sinks read from the database, so nothing is dropped any more.
        _sinkDropped = factory.CreateCounter("dockyard_audit_sink_entries_dropped_total", "Always 0: SIEM sinks deliver from the database at least once and drop nothing (kept for existing alerts).", "sink");
        _sinkFailures = factory.CreateCounter("dockyard_audit_sink_failures_total", "Failed SIEM sink writes (the sink reconnects and retries).", "sink");
        _deferred = factory.CreateCounter("dockyard_audit_deferred_total", "Audit entries of reads and logins kept in memory because the storage was full (written once there is space).");
        _deferredDropped = factory.CreateCounter("dockyard_audit_dropped_total", "Deferred audit entries lost: the deferred queue was full, or the server stopped before there was space.");


        _sinkBacklog = factory.CreateGauge("dockyard_audit_sink_backlog", "Committed audit entries not yet confirmed by the sink (last id minus the sink's cursor).", "sink");
        _sinkDelivered = factory.CreateCounter("dockyard_audit_sink_entries_delivered_total", "Audit entries written to the sink and confirmed by advancing its cursor.", "sink");
    }

    public long DroppedPulls => (long)_dropped.Value;

    public void Written(int count) => _written.Inc(count);

    public void DroppedPull() => _dropped.Inc();

    public void SinkFailed(string sink) => _sinkFailures.WithLabels(sink).Inc();

    public void Deferred(int count) => _deferred.Inc(count);

    public void DroppedDeferred(int count) => _deferredDropped.Inc(count);

    /// <summary>Makes the sink's series visible (at 0) as soon as it is configured.</summary>
    public void SinkConfigured(string sink)
    {
        _sinkDropped.WithLabels(sink).IncTo(0);
        _sinkFailures.WithLabels(sink).IncTo(0);
        _sinkDelivered.WithLabels(sink).IncTo(0);
    }

    public void SinkBacklog(string sink, long entries) => _sinkBacklog.WithLabels(sink).Set(entries);

    public void SinkDelivered(string sink, int entries) => _sinkDelivered.WithLabels(sink).Inc(entries);
}
