using Microsoft.AspNetCore.DataProtection;

namespace Dockyard.Server.Ui;

/// <summary>
/// Loads the data-protection key ring (creating the first key on a new database) in the background, shortly after the
/// server started listening. The framework's own hosted service does the same before the server listens, which put a
/// database round trip and, on a first start, key generation in front of every start-up; only UI sessions and forms
/// need the ring, and whichever comes first loads it anyway. The short wait keeps it from competing for the CPU with
/// the first requests (clients and load balancers knock as soon as the port opens).
/// </summary>
internal sealed partial class KeyRingWarmUp(
    IDataProtectionProvider protection,
    IHostApplicationLifetime lifetime,
    ILogger<KeyRingWarmUp> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(Delay, lifetime.ApplicationStopping);
                protection.CreateProtector("Dockyard.KeyRingWarmUp").Protect([0]);
            }
            catch (OperationCanceledException)
            {
                // Stopped within the first seconds: nothing to warm.
            }
            catch (Exception e)
            {
                // Not fatal: the first UI request retries and reports it.
                LogFailed(e);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Loading the data-protection key ring in the background failed")]
    private partial void LogFailed(Exception exception);
}
