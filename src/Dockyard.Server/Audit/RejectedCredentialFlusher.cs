namespace Dockyard.Server.Audit;

/// <summary>Records the counts of aggregated credential refusals (<see cref="RejectedCredentialAudit"/>) once their window has passed.</summary>
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

    [LoggerMessage(EventId = 7121, Level = LogLevel.Warning, Message = "Recording the counts of rejected credentials failed")]
    private partial void LogFlushFailed(Exception exception);
}
