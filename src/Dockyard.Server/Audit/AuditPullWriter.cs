using System.Data.Common;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// Commits queued pull entries in batches: a batch closes when it holds <see cref="AuditOptions.PullBatchSize"/>
/// entries or one <see cref="AuditOptions.PullFlushInterval"/> after its first entry, whichever comes first. On
/// graceful shutdown the queue is closed and drained. A crash loses at most the entries of the open batch (about one
/// interval of pulls). A failed write is logged and its entries counted as dropped; pulls never see it.
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
        catch (Exception error) when (error is DbUpdateException or DbException or InvalidOperationException)
        {
            LogWriteFailed(batch.Count, error.Message);
            trail.Dropped(batch.Count);
        }

        // The list is reused; the committed entities themselves now belong to the SIEM stream.
        batch.Clear();
    }

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Could not write {Count} pull audit entries: {Reason}")]
    private partial void LogWriteFailed(int count, string reason);
}
