using System.Threading.Channels;
using Dockyard.Server.Data.Entities;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// What recording hooks call. <see cref="RecordAsync(AuditEvent, CancellationToken)"/> commits the entry before it
/// returns (state-changing actions call it before their response is sent). <see cref="RecordPull"/> never waits:
/// it queues the entry for <see cref="AuditPullWriter"/>, which commits batches at least every second; when the
/// queue is full the entry is dropped, counted in <c>dockyard_audit_pull_entries_dropped_total</c> and logged, so
/// a slow database can cost pull entries but never a pull.
/// </summary>
internal sealed partial class AuditTrail
{
    private readonly AuditWriter _writer;
    private readonly TrustedProxies _proxies;
    private readonly IHttpContextAccessor _http;
    private readonly TimeProvider _time;
    private readonly AuditMetrics _metrics;
    private readonly ILogger<AuditTrail> _logger;
    private readonly Channel<AuditEntryEntity> _pulls;
    private long _dropped;

    public AuditTrail(
        AuditWriter writer,
        TrustedProxies proxies,
        IHttpContextAccessor http,
        TimeProvider time,
        IOptions<AuditOptions> options,
        AuditMetrics metrics,
        ILogger<AuditTrail> logger)
    {
        _writer = writer;
        _proxies = proxies;
        _http = http;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        PullsEnabled = options.Value.Pulls;
        _pulls = Channel.CreateBounded<AuditEntryEntity>(new BoundedChannelOptions(Math.Max(1, options.Value.PullQueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public bool PullsEnabled { get; }

    internal ChannelReader<AuditEntryEntity> PendingPulls => _pulls.Reader;

    /// <summary>The context of the current request, or <see cref="AuditContext.System"/> outside one.</summary>
    public AuditContext CurrentContext() => _http.HttpContext is { } context ? ContextOf(context) : AuditContext.System;

    public AuditContext ContextOf(HttpContext context) => AuditContext.From(context, _proxies);

    /// <summary>Records <paramref name="auditEvent"/> in the current request's context and commits it.</summary>
    public Task RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        RecordAsync(auditEvent, CurrentContext(), cancellationToken);

    /// <summary>
    /// Commits one entry. The caller's token only bounds waiting for the writer; once the action happened its entry
    /// must not be lost to a client that hung up, so callers in requests pass <see cref="CancellationToken.None"/>.
    /// </summary>
    public Task RecordAsync(AuditEvent auditEvent, AuditContext context, CancellationToken cancellationToken) =>
        _writer.AppendAsync([Build(auditEvent, context)], cancellationToken);

    /// <summary>
    /// Records the entry of a read or a login: as <see cref="RecordAsync(AuditEvent, AuditContext, CancellationToken)"/>,
    /// but when the storage is full the entry is deferred (<see cref="AuditWriter.AppendOrDeferAsync"/>) instead of
    /// failing the request. Never for state changes: they must fail when their entry cannot be written.
    /// </summary>
    public Task RecordOrDeferAsync(AuditEvent auditEvent, AuditContext context, CancellationToken cancellationToken) =>
        _writer.AppendOrDeferAsync([Build(auditEvent, context)], cancellationToken);

    /// <summary>As <see cref="RecordOrDeferAsync(AuditEvent, AuditContext, CancellationToken)"/> in the current request's context.</summary>
    public Task RecordOrDeferAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        RecordOrDeferAsync(auditEvent, CurrentContext(), cancellationToken);

    /// <summary>
    /// Commits a <c>system.restore</c> entry with the id <paramref name="idOf"/> chooses from the last id: the first of
    /// a new id range (<see cref="AuditIdRange"/>). Returns that id.
    /// </summary>
    public Task<long> RecordOpeningRangeAsync(AuditEvent auditEvent, AuditContext context, Func<long, long> idOf, CancellationToken cancellationToken) =>
        _writer.AppendOpeningRangeAsync(Build(auditEvent, context), idOf, cancellationToken);

    /// <summary>Queues a pull entry; never blocks, never throws.</summary>
    public void RecordPull(AuditEvent auditEvent, AuditContext context)
    {
        if (!_pulls.Writer.TryWrite(Build(auditEvent, context)))
        {
            Dropped(1);
        }
    }

    internal void Dropped(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _metrics.DroppedPull();
        }

        var before = Interlocked.Add(ref _dropped, count) - count;

        // One warning per 1,000 drops: the metric has the exact count, the log only needs to be noticed.
        if (before / 1000 != (before + count) / 1000 || before == 0)
        {
            LogDropped(before + count);
        }
    }

    internal void CompletePulls() => _pulls.Writer.TryComplete();

    private AuditEntryEntity Build(AuditEvent e, AuditContext context)
    {
        var actor = e.Actor ?? context.Actor;
        return new AuditEntryEntity
        {
            Time = _time.GetUtcNow(),
            ActorKind = actor.Kind,
            ActorName = actor.Name,
            ActorId = actor.Id,
            AuthMethod = e.AuthMethod ?? context.AuthMethod,
            SourceIp = context.SourceIp,
            UserAgent = context.UserAgent,
            Action = e.Action,
            Repository = e.Repository,
            Reference = e.Reference,
            Digest = e.Digest,
            Resource = e.Resource,
            Organization = e.Organization ?? AuditEvent.NamespaceOf(e.Repository),
            Outcome = e.Outcome,
            Reason = e.Reason,
            RequestId = context.RequestId,
            Details = e.Details,
            Hash = string.Empty,
        };
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Audit pull queue full: {Dropped} pull entries dropped so far (see dockyard_audit_pull_entries_dropped_total)")]
    private partial void LogDropped(long dropped);
}
