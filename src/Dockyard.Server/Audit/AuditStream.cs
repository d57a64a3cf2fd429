using System.Runtime.InteropServices;
using System.Threading.Channels;
using Dockyard.Server.Data;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// Delivers the committed trail to the SIEM sinks from the database, at least once: one loop per sink reads the entries
/// after the sink's cursor (<see cref="AuditSinkCursors"/>) in id order, writes a batch, and only then advances the
/// cursor. A failed write is retried from the cursor with backoff (1 s doubling to 30 s), so a receiver outage or a
/// restart of the server loses nothing; a batch written but not yet confirmed when the process dies is sent again.
/// The writer only wakes the loops (<see cref="Signal"/>); a poll every <see cref="AuditOptions.SinkPollInterval"/>
/// picks up entries other processes committed (CLI verbs, replicas). With database leases (replicas), a sink is
/// delivered by one replica at a time: the holder of its lease; when it dies, the lease expires and another takes over.
/// </summary>
internal sealed partial class AuditStream(
    IReadOnlyList<IAuditSink> sinks,
    AuditSinkCursors cursors,
    Func<string, CancellationToken, ValueTask<IAsyncDisposable?>>? tryAcquireLease,
    IOptions<AuditOptions> options,
    TimeSpan leaseRetry,
    AuditMetrics metrics,
    TimeProvider time,
    ILogger<AuditStream> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);

    private readonly Channel<bool>[] _wake = [.. sinks.Select(_ => Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite }))];
    private bool _cursorsCreated;

    /// <summary>
    /// Called by the writer inside its transaction before it appends: creates the cursors of configured sinks that have
    /// none yet at the trail's current end, so "start now" means exactly before the first entry written with the sink on.
    /// </summary>
    public async Task BeforeAppendAsync(DockyardDbContext db, long lastId, CancellationToken cancellationToken)
    {
        if (_cursorsCreated || sinks.Count == 0)
        {
            return;
        }

        await cursors.CreateMissingAsync(db, sinks.Select(s => s.Name), lastId, cancellationToken);
        _cursorsCreated = true;
    }

    /// <summary>New entries were committed: wakes the loops (never waits).</summary>
    public void Signal()
    {
        foreach (var wake in _wake)
        {
            wake.Writer.TryWrite(true);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // logrotate's usual postrotate step (`kill -HUP`) reopens the file sink instead of ending the server (SIGHUP's default).
        using var hangup = sinks.OfType<AuditFileSink>().Any() && !OperatingSystem.IsWindows()
            ? PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                foreach (var file in sinks.OfType<AuditFileSink>())
                {
                    file.RequestReopen();
                }

                Signal();
            })
            : null;
        await Task.WhenAll(sinks.Select((sink, i) => RunAsync(sink, _wake[i].Reader, stoppingToken)));
    }

    private async Task RunAsync(IAuditSink sink, ChannelReader<bool> wake, CancellationToken stoppingToken)
    {
        await Task.Yield();
        metrics.SinkConfigured(sink.Name);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var lease = tryAcquireLease is null ? null : await TryAcquireLeaseAsync(sink.Name, stoppingToken);
                if (tryAcquireLease is not null && lease is null)
                {
                    await Task.Delay(leaseRetry, time, stoppingToken);
                    continue;
                }

                try
                {
                    await DeliverAsync(sink, wake, stoppingToken);
                }
                finally
                {
                    if (lease is not null)
                    {
                        await lease.DisposeAsync();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the cursor says where the next start resumes.
        }
        finally
        {
            await sink.DisposeAsync();
        }
    }

    private async Task<IAsyncDisposable?> TryAcquireLeaseAsync(string sink, CancellationToken stoppingToken)
    {
        try
        {
            return await tryAcquireLease!(AuditSinkCursors.CursorName(sink), stoppingToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogDatabaseFailed(sink, error.Message);
            return null;
        }
    }

    /// <summary>Delivers until stopped (then drains briefly), or until another process moved the cursor (lease lost).</summary>
    private async Task DeliverAsync(IAuditSink sink, ChannelReader<bool> wake, CancellationToken stoppingToken)
    {
        using var drain = new CancellationTokenSource();
        using var drainAfterStop = stoppingToken.Register(() => drain.CancelAfter(DrainOnStop));
        var delay = TimeSpan.FromSeconds(1);
        long? cursor = null;
        while (!drain.IsCancellationRequested)
        {
            List<Data.Entities.AuditEntryEntity> batch;
            long last;
            try
            {
                cursor ??= await cursors.ReadAsync(sink.Name, drain.Token);
                (batch, last) = await cursors.ReadAfterAsync(cursor.Value, BatchSize, drain.Token);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogDatabaseFailed(sink.Name, error.Message);
                delay = await BackOffAsync(delay, stoppingToken);
                continue;
            }

            metrics.SinkBacklog(sink.Name, last - cursor.Value);
            if (batch.Count == 0)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                await WaitForEntriesAsync(wake, stoppingToken);
                continue;
            }

            if (!await TryWriteAsync(sink, batch, drain.Token))
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                delay = await BackOffAsync(delay, stoppingToken);
                continue;
            }

            delay = TimeSpan.FromSeconds(1);
            var next = batch[^1].Id;
            bool advanced;
            try
            {
                // Not the drain token: the batch is out, so its confirmation is worth the wait.
                advanced = await cursors.AdvanceAsync(sink.Name, cursor.Value, next, CancellationToken.None);
            }
            catch (Exception error)
            {
                // The batch will be sent again from the old cursor: a duplicate, never a loss.
                LogDatabaseFailed(sink.Name, error.Message);
                cursor = null;
                delay = await BackOffAsync(delay, stoppingToken);
                continue;
            }

            if (!advanced)
            {
                LogCursorMoved(sink.Name);
                return;
            }

            cursor = next;
            metrics.SinkDelivered(sink.Name, batch.Count);
            metrics.SinkBacklog(sink.Name, Math.Max(0, last - next));
        }
    }

    private async Task WaitForEntriesAsync(ChannelReader<bool> wake, CancellationToken stoppingToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        poll.CancelAfter(options.Value.SinkPollInterval);
        try
        {
            await wake.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Poll interval: look for entries of other processes.
        }
        catch (OperationCanceledException)
        {
            // Stopping: one more pass drains what is committed.
        }
    }

    private async Task<bool> TryWriteAsync(IAuditSink sink, IReadOnlyList<Data.Entities.AuditEntryEntity> batch, CancellationToken drainToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(drainToken);
        timeout.CancelAfter(WriteTimeout);
        try
        {
            await sink.WriteAsync(batch, timeout.Token);
            return true;
        }
        catch (Exception error)
        {
            metrics.SinkFailed(sink.Name);
            LogSinkFailed(sink.Name, error.Message);
            await sink.ResetAsync();
            return false;
        }
    }

    /// <summary>Waits <paramref name="delay"/> and returns the next one; throws when stopping (the cursor is where it was).</summary>
    private async Task<TimeSpan> BackOffAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        await Task.Delay(delay, time, stoppingToken);
        return TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Audit sink {Sink} failed, retrying from its cursor: {Reason}")]
    private partial void LogSinkFailed(string sink, string reason);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Audit sink {Sink} could not read or advance its cursor, retrying: {Reason}")]
    private partial void LogDatabaseFailed(string sink, string reason);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Audit sink {Sink}: another process moved its cursor (its lease was lost); handing over")]
    private partial void LogCursorMoved(string sink);
}
