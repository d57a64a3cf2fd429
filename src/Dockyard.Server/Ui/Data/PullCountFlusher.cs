using Microsoft.Extensions.Options;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// Writes the <see cref="PullCounter"/>'s sums every <see cref="UiOptions.PullCountFlushInterval"/> (each replica its
/// own). What is counted after the last tick is written when the counter is disposed at shutdown, after the event
/// queue has been drained.
/// </summary>
internal sealed partial class PullCountFlusher(PullCounter counter, IOptions<UiOptions> options, TimeProvider time, ILogger<PullCountFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PullCounts)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PullCountFlushInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await counter.FlushAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The counter logged it and kept the counts; the next tick tries again.
                LogRetrying(options.Value.PullCountFlushInterval);
            }
        }
    }

    [LoggerMessage(EventId = 7022, Level = LogLevel.Debug, Message = "Pull-count flush failed; retrying in {Interval}")]
    private partial void LogRetrying(TimeSpan interval);
}
