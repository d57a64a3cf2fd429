using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Server.Identity;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Jobs;

/// <summary>
/// Deletes expired upload sessions on a schedule (<see cref="RegistryOptions.UploadPurgeInterval"/>), and with them
/// web UI session rows long ended (<see cref="UiSessionStore.PruneAsync"/>): both idempotent, so every replica may run it.
/// </summary>
internal sealed partial class UploadPurgeService(
    UploadService uploads,
    UiSessionStore sessions,
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

            try
            {
                await sessions.PruneAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSessionPruneFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Purging expired uploads failed")]
    private partial void LogPurgeFailed(Exception exception);

    [LoggerMessage(EventId = 4090, Level = LogLevel.Warning, Message = "Pruning ended web UI sessions failed")]
    private partial void LogSessionPruneFailed(Exception exception);
}
