using Microsoft.Extensions.Options;

namespace Dockyard.Server.Policies;

/// <summary>
/// Runs retention over every repository every <see cref="RetentionOptions.Interval"/> when
/// <see cref="RetentionOptions.Enabled"/>. On several replicas each runs it; the runs are idempotent (a delete that
/// finds nothing counts as done).
/// </summary>
internal sealed partial class RetentionJob(
    RetentionService retention,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await retention.RunAsync(RetentionService.Scheduled, new RetentionRunRequest(DryRun: false), progress: null, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRunFailed(ex);
            }
        }
    }

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Scheduled retention run failed")]
    private partial void LogRunFailed(Exception exception);
}
