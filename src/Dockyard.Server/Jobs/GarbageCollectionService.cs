using Dockyard.Registry.Maintenance;
using Dockyard.Server.Audit;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Jobs;

/// <summary>
/// Runs garbage collection every <see cref="GarbageCollectionOptions.Interval"/> after an initial delay, when
/// <see cref="GarbageCollectionOptions.Enabled"/>. A run that finds another one in progress (the lease) is skipped.
/// </summary>
internal sealed partial class GarbageCollectionService(
    GarbageCollectionRunner runner,
    IOptions<GarbageCollectionOptions> options,
    TimeProvider time,
    ILogger<GarbageCollectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Interval <= TimeSpan.Zero)
        {
            return;
        }

        await Task.Delay(settings.InitialDelay, time, stoppingToken);
        using var timer = new PeriodicTimer(settings.Interval, time);
        do
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
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Scheduled garbage collection failed")]
    private partial void LogRunFailed(Exception exception);
}
