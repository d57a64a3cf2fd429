namespace Dockyard.Server.Ldap;

/// <summary>
/// Runs <see cref="LdapSynchronizer.SyncAllAsync"/> every <see cref="LdapSettings.SyncInterval"/>. The interval is
/// re-read after every wait, so a change through the API applies from the next cycle on.
/// </summary>
internal sealed partial class LdapSyncService(
    LdapSynchronizer synchronizer,
    LdapSettingsStore settingsStore,
    TimeProvider time,
    ILogger<LdapSyncService> logger) : BackgroundService
{
    /// <summary>How often to look again when LDAP is off or the schedule is disabled.</summary>
    private static readonly TimeSpan IdleRecheck = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var interval = IdleRecheck;
            var enabled = false;
            try
            {
                var settings = await settingsStore.GetAsync(stoppingToken);
                enabled = settings.Enabled && settings.SyncInterval > TimeSpan.Zero;
                interval = enabled ? settings.SyncInterval : IdleRecheck;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScheduleFailed(ex);
            }

            await Task.Delay(interval, time, stoppingToken);
            if (!enabled)
            {
                continue;
            }

            try
            {
                await synchronizer.SyncAllAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScheduleFailed(ex);
            }
        }
    }

    [LoggerMessage(EventId = 5121, Level = LogLevel.Warning, Message = "Scheduled LDAP sync failed")]
    private partial void LogScheduleFailed(Exception exception);
}
