using Dockyard.Registry;
using Dockyard.Registry.Content;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Jobs;

/// <summary>Deletes expired upload sessions on a schedule (<see cref="RegistryOptions.UploadPurgeInterval"/>).</summary>
internal sealed partial class UploadPurgeService(
    UploadService uploads,
    IOptions<RegistryOptions> options,
    TimeProvider time,
    ILogger<UploadPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.UploadPurgeInterval, time);
        do
        {
            try
            {
                await uploads.PurgeExpiredAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPurgeFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Purging expired uploads failed")]
    private partial void LogPurgeFailed(Exception exception);
}
