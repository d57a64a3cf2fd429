using Dockyard.Registry.Storage;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Observability;

/// <summary>Refreshes the gauges that need a scan (storage used, uploads in progress) once a minute, off the request path.</summary>
internal sealed partial class RegistryGaugeRefresher(
    RegistryMetrics metrics,
    IDbContextFactory<DockyardDbContext> contexts,
    IStorageDriver storage,
    TimeProvider time,
    ILogger<RegistryGaugeRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var blobBytes = await db.BlobLinks.GroupBy(b => b.Digest).Select(g => g.Max(b => b.Size)).SumAsync(cancellationToken);
        var manifestBytes = await db.Manifests.GroupBy(m => m.Digest).Select(g => g.Max(m => m.Size)).SumAsync(cancellationToken);
        metrics.StorageUsedBytes.Set(blobBytes + manifestBytes);

        var uploads = 0;
        await foreach (var _ in storage.ListAsync(StoragePaths.UploadsRoot, cancellationToken))
        {
            uploads++;
        }

        metrics.UploadsInProgress.Set(uploads);
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "Refreshing registry gauges failed")]
    private partial void LogRefreshFailed(Exception exception);
}
