using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// The event history's background work: every second, user attribution (<see cref="EventAttribution"/>); every
/// <see cref="EngineEventsOptions.PruneInterval"/>, retention — events older than
/// <see cref="EngineEventsOptions.Retention"/> deleted oldest first in batches of
/// <see cref="EngineEventsOptions.PruneBatchSize"/> (one short transaction each, through the (time_nano, id) index).
/// </summary>
internal sealed partial class EventHousekeeping(
    IDbContextFactory<DockyardDbContext> contexts,
    EventAttribution attribution,
    DatabaseInitializer database,
    IOptions<EngineEventsOptions> options,
    TimeProvider time,
    ILogger<EventHousekeeping> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await database.Begin().WaitAsync(stoppingToken);
            var nextPrune = time.GetUtcNow();
            while (!stoppingToken.IsCancellationRequested)
            {
                await attribution.RunOnceAsync(stoppingToken);
                if (time.GetUtcNow() >= nextPrune)
                {
                    nextPrune = time.GetUtcNow() + options.Value.PruneInterval;
                    try
                    {
                        await PruneAsync(stoppingToken);
                    }
                    catch (Exception error) when (error is System.Data.Common.DbException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
                    {
                        LogPruneFailed(error);
                    }
                }

                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Deletes events older than the retention; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = (time.GetUtcNow() - options.Value.Retention - DateTimeOffset.UnixEpoch).Ticks * 100;
        var batch = Math.Max(1, options.Value.PruneBatchSize);
        var total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var ids = db.EngineEvents.Where(e => e.TimeNano < cutoff).OrderBy(e => e.TimeNano).ThenBy(e => e.Id).Select(e => e.Id).Take(batch);
            var deleted = await db.EngineEvents.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (deleted < batch)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogPruned(total);
        }

        return total;
    }

    [LoggerMessage(EventId = 4537, Level = LogLevel.Information, Message = "Deleted {Count} engine events older than the retention")]
    private partial void LogPruned(int count);

    [LoggerMessage(EventId = 4538, Level = LogLevel.Warning, Message = "Pruning engine events failed; retrying at the next interval")]
    private partial void LogPruneFailed(Exception error);
}
