using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// Retention (<c>Dockyard:Audit:Retention</c>): deletes the oldest entries, a prefix of the chain ending before
/// the first entry at or after the cut-off, and in the same transaction appends an <c>audit.checkpoint</c> entry
/// carrying the last pruned entry's id and hash, so the remaining chain still verifies. The newest entry is never
/// pruned. Runs at start and then hourly while a retention is configured.
/// </summary>
internal sealed partial class AuditPruner(
    AuditWriter writer,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditPruner> logger) : BackgroundService
{
    /// <summary>Prunes entries older than <paramref name="before"/>; returns how many were deleted.</summary>
    public async Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        long pruned = 0;
        await writer.AppendAsync([], async (db, last, token) =>
        {
            if (last is null)
            {
                return [];
            }

            var keepFrom = await db.AuditEntries.Where(e => e.Time >= before).MinAsync(e => (long?)e.Id, token) ?? last.Id;
            var through = Math.Min(keepFrom, last.Id) - 1;
            var boundary = await db.AuditEntries.AsNoTracking().Where(e => e.Id <= through).OrderByDescending(e => e.Id).FirstOrDefaultAsync(token);
            if (boundary is null)
            {
                return [];
            }

            pruned = await db.AuditEntries.Where(e => e.Id <= through).ExecuteDeleteAsync(token);
            return
            [
                new AuditEntryEntity
                {
                    Time = time.GetUtcNow(),
                    ActorKind = AuditActor.System.Kind,
                    ActorName = AuditActor.System.Name,
                    Action = AuditActions.AuditCheckpoint,
                    Outcome = AuditOutcomes.Success,
                    Details = new AuditCheckpoint(boundary.Id, boundary.Hash, pruned, before).ToJson(),
                    Hash = string.Empty,
                },
            ];
        }, cancellationToken);
        if (pruned > 0)
        {
            LogPruned(pruned, before);
        }

        return pruned;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Retention is not { } retention || retention <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await PruneAsync(time.GetUtcNow() - retention, stoppingToken);
                await Task.Delay(TimeSpan.FromHours(1), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Pruned {Count} audit entries older than {Before} behind a checkpoint")]
    private partial void LogPruned(long count, DateTimeOffset before);
}
