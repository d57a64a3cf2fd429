using System.Data.Common;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// Commits queued pull entries in batches: a batch closes when it holds <see cref="AuditOptions.PullBatchSize"/>
/// entries or one <see cref="AuditOptions.PullFlushInterval"/> after its first entry, whichever comes first. On
/// graceful shutdown the queue is closed and drained. A crash loses at most the entries of the open batch (about one
/// interval of pulls). A failed write is logged and its entries counted as dropped; pulls never see it. A write that
/// failed because the storage is full is deferred instead (<see cref="AuditWriter.Defer"/>), and the deferred entries
/// (of pulls and logins) are retried every <see cref="AuditOptions.DeferredRetryInterval"/> until there is space.
/// </summary>
internal sealed partial class AuditPullWriter(
    AuditTrail trail,
    AuditWriter writer,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditPullWriter> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        trail.CompletePulls();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retries = RetryDeferredAsync(stoppingToken);
        await DrainPullsAsync(stoppingToken);
        await retries;

        // Last chance for entries deferred while the storage was full; what still cannot be written is counted as lost.
        if (!await TryWriteDeferredAsync(CancellationToken.None))
        {
            writer.DropDeferred();
        }
    }

    private async Task<bool> TryWriteDeferredAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await writer.TryWriteDeferredAsync(cancellationToken);
        }
        catch (Exception error) when (error is DbUpdateException or DbException or InvalidOperationException)
        {
            LogRetryFailed(error.Message);
            return false;
        }
    }

    private async Task RetryDeferredAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.DeferredRetryInterval > TimeSpan.Zero ? options.Value.DeferredRetryInterval : TimeSpan.FromSeconds(5);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TryWriteDeferredAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: ExecuteAsync makes the last attempt.
        }
    }

    private async Task DrainPullsAsync(CancellationToken stoppingToken)
    {
        var reader = trail.PendingPulls;
        var size = Math.Max(1, options.Value.PullBatchSize);
        var interval = options.Value.PullFlushInterval;
        var batch = new List<AuditEntryEntity>(Math.Min(size, 4096));

        // Not the stopping token: after StopAsync closes the queue this loop drains it and ends by itself.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var opened = time.GetTimestamp();
            while (batch.Count < size)
            {
                if (reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                    continue;
                }

                var remaining = interval - time.GetElapsedTime(opened);
                if (remaining <= TimeSpan.Zero || stoppingToken.IsCancellationRequested)
                {
                    break;
                }

                using var wait = new CancellationTokenSource(remaining, time);
                try
                {
                    if (!await reader.WaitToReadAsync(wait.Token))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            await FlushAsync(batch);
        }
    }

    private async Task FlushAsync(List<AuditEntryEntity> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await writer.AppendAsync(batch, CancellationToken.None);
        }
        catch (Exception error) when (OutOfSpace.Is(error))
        {
            writer.Defer(batch, error.Message);
        }
        catch (Exception error) when (error is DbUpdateException or DbException or InvalidOperationException)
        {
            LogWriteFailed(batch.Count, error.Message);
            trail.Dropped(batch.Count);
        }

        // The list is reused; the committed entities themselves now belong to the SIEM stream.
        batch.Clear();
    }

    [LoggerMessage(EventId = 3144, Level = LogLevel.Error, Message = "Could not write the deferred audit entries: {Reason}")]
    private partial void LogRetryFailed(string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Could not write {Count} pull audit entries: {Reason}")]
    private partial void LogWriteFailed(int count, string reason);
}
