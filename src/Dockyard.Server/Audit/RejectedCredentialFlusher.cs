namespace Dockyard.Server.Audit;

/// <summary>
/// Records the counts of aggregated credential refusals (<see cref="RejectedCredentialAudit"/>) once their window has
/// passed, and those still pending when the host stops.
/// </summary>
internal sealed partial class RejectedCredentialFlusher(RejectedCredentialAudit rejections, TimeProvider time, ILogger<RejectedCredentialFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RejectedCredentialAudit.Window / 2, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await rejections.FlushAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFlushFailed(error);
            }
        }
    }

    /// <summary>Stops the timer, then records the counts of windows still open: they live only in this process's memory.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await rejections.FlushAllAsync(cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogFlushFailed(error);
        }
    }

    [LoggerMessage(EventId = 7121, Level = LogLevel.Warning, Message = "Recording the counts of rejected credentials failed")]
    private partial void LogFlushFailed(Exception exception);
}
