namespace Dockyard.Server.Audit;

/// <summary>Audit trail settings (<c>Dockyard:Audit</c>).</summary>
internal sealed record AuditOptions
{
    public const string Section = "Dockyard:Audit";

    /// <summary>Record manifest pulls (batched). Off only to trade the "who pulled" trail for a little throughput.</summary>
    public bool Pulls { get; init; } = true;

    /// <summary>Proxies (IPs or CIDRs) whose <c>X-Forwarded-For</c> is believed; everyone else's is ignored.</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>Entries older than this are pruned behind a checkpoint; null (the default) keeps everything.</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>Pull entries waiting to be written; when full, new pull entries are dropped and counted.</summary>
    public int PullQueueCapacity { get; init; } = 50_000;

    /// <summary>Most pull entries per write transaction.</summary>
    public int PullBatchSize { get; init; } = 10_000;

    /// <summary>Longest a pull entry waits before it is written (the crash window).</summary>
    public TimeSpan PullFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Entries of reads and logins kept in memory while the storage is full; beyond it they are dropped and counted.</summary>
    public int DeferredCapacity { get; init; } = 10_000;

    /// <summary>How often deferred entries are retried while the storage is full.</summary>
    public TimeSpan DeferredRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where a sink without a cursor (configured for the first time) starts: <see cref="AuditSinkStart.Now"/> (after the
    /// last committed entry) or <see cref="AuditSinkStart.Beginning"/> (the whole retained trail).
    /// </summary>
    public AuditSinkStart SinkStart { get; init; } = AuditSinkStart.Now;

    /// <summary>How often the sinks look for entries committed by other processes (CLI verbs, other replicas).</summary>
    public TimeSpan SinkPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public AuditSyslogOptions Syslog { get; init; } = new();

    public AuditFileOptions File { get; init; } = new();
}
