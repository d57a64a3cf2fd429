namespace Dockyard.Server.Ldap;

/// <summary>
/// Runs <see cref="LdapSynchronizer.SyncAllAsync"/> as <see cref="Audit.Caller.System"/> every <see cref="LdapSettings.SyncInterval"/>, counted from the
/// end of the previous run. Saving the settings wakes the wait (<see cref="LdapSettingsStore.Changed"/>), so a new
/// interval applies at once: a run that is already due under it starts immediately.
/// </summary>
internal sealed partial class LdapSyncService(
    LdapSynchronizer synchronizer,
    LdapSettingsStore settingsStore,
    TimeProvider time,
    ILogger<LdapSyncService> logger) : BackgroundService
{
    /// <summary>How often to look again when LDAP is off or the schedule is disabled (a save wakes it sooner).</summary>
    private static readonly TimeSpan IdleRecheck = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastRun = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = settingsStore.Changed;
            var enabled = false;
            var interval = IdleRecheck;
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

            if (!enabled)
            {
                // The interval starts counting when the schedule is switched on, not from an old run.
                lastRun = time.GetUtcNow();
            }

            var wait = enabled ? lastRun + interval - time.GetUtcNow() : interval;
            if (wait > TimeSpan.Zero)
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, changed);
                // Yielding: a save cancels the wait on the saving request's thread; the loop continues on its own.
                await Task.Delay(wait, time, wake.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
                if (wake.IsCancellationRequested || !enabled)
                {
                    continue; // stopping, or settings changed (re-read them), or an idle recheck
                }
            }

            try
            {
                await synchronizer.SyncAllAsync(Audit.Caller.System, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScheduleFailed(ex);
            }

            lastRun = time.GetUtcNow();
        }
    }

    [LoggerMessage(EventId = 5121, Level = LogLevel.Warning, Message = "Scheduled LDAP sync failed")]
    private partial void LogScheduleFailed(Exception exception);
}
