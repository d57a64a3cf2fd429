using Dockyard.Registry.Maintenance;
using Dockyard.Server.Audit;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Jobs;

/// <summary>
/// Runs garbage collection on the schedule in force (<see cref="GarbageCollectionScheduleStore"/>: an override set at
/// run time, else <see cref="GarbageCollectionOptions.Enabled"/> and <see cref="GarbageCollectionOptions.Interval"/>),
/// the first run <see cref="GarbageCollectionOptions.InitialDelay"/> after start-up. A change through the store wakes
/// it at once; a run that finds another one in progress (the lease) is skipped.
/// </summary>
internal sealed partial class GarbageCollectionService(
    GarbageCollectionRunner runner,
    GarbageCollectionScheduleStore schedules,
    IOptions<GarbageCollectionOptions> options,
    TimeProvider time,
    ILogger<GarbageCollectionService> logger) : BackgroundService
{
    /// <summary>How often the schedule is read again when nothing wakes this: other replicas' changes arrive so.</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var firstDue = time.GetUtcNow() + options.Value.InitialDelay;
        DateTimeOffset? lastRun = null;

        // Nothing is due before the initial delay, so the schedule is not read before it (nor during start-up) unless it changes.
        await WaitAsync(options.Value.InitialDelay, schedules.Changed, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = schedules.Changed;
            GarbageCollectionSchedule schedule;
            try
            {
                schedule = await schedules.GetAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScheduleUnreadable(ex);
                schedule = new GarbageCollectionSchedule(options.Value.Enabled, options.Value.Interval, false, null, null);
            }

            var now = time.GetUtcNow();
            var due = lastRun is { } last ? last + schedule.Interval : firstDue;
            if (schedule.Runs && due <= now)
            {
                lastRun = now;
                await RunAsync(stoppingToken);
                continue;
            }

            await WaitAsync(schedule.Runs ? Min(due - now, Recheck) : Recheck, changed, stoppingToken);
        }
    }

    /// <summary>Waits <paramref name="delay"/>, or until the schedule changes; only stopping throws.</summary>
    private async Task WaitAsync(TimeSpan delay, CancellationToken changed, CancellationToken stoppingToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, changed);
        try
        {
            await Task.Delay(delay, time, wake.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The schedule changed: read it again.
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await runner.RunAsync(new GarbageCollectionRequest(), Caller.System, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRunFailed(ex);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Scheduled garbage collection failed")]
    private partial void LogRunFailed(Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Reading the garbage collection schedule failed; using the configured one")]
    private partial void LogScheduleUnreadable(Exception exception);
}
