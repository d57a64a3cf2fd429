using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control;

/// <summary>
/// Keeps <see cref="EngineRegistry"/> current: every <see cref="ControlOptions.RefreshInterval"/> (or sooner, on
/// <see cref="EngineRegistry.RequestRefresh"/>) it re-reads the stored engines — picking up changes made on other
/// replicas — and probes every engine in parallel. Requests never wait for it.
/// </summary>
internal sealed partial class EngineStatusRefresher(EngineRegistry registry, IOptions<ControlOptions> options, ILogger<EngineStatusRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await registry.ReloadAsync(stoppingToken);
                await registry.RefreshAllAsync(stoppingToken);
                await registry.WaitForRefreshAsync(options.Value.RefreshInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                LogRefreshFailed(error);
                try
                {
                    await registry.WaitForRefreshAsync(options.Value.RefreshInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Refreshing the engine list failed; retrying")]
    private partial void LogRefreshFailed(Exception error);
}
