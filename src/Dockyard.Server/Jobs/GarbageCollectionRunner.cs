using System.Text.Json;
using Dockyard.Registry.Maintenance;
using Dockyard.Server.Audit;
using Dockyard.Server.Observability;

namespace Dockyard.Server.Jobs;

/// <summary>
/// Every garbage collection (scheduled, <c>dockyard gc</c>, the API) runs through here: the collector, then the audit
/// entry (<c>system.gc</c> with the counts, failed runs too) and the last-run metrics.
/// </summary>
internal sealed class GarbageCollectionRunner(GarbageCollector collector, AuditTrail audit, RegistryMetrics metrics)
{
    /// <summary>Runs one collection; null when another one holds the lease (nothing is recorded then).</summary>
    public async Task<GarbageCollectionResult?> RunAsync(GarbageCollectionRequest request, AuditContext context, CancellationToken cancellationToken)
    {
        GarbageCollectionResult? result;
        try
        {
            result = await collector.TryRunAsync(request, cancellationToken);
        }
        catch (Exception error)
        {
            await audit.RecordAsync(
                new AuditEvent { Action = AuditActions.SystemGc, Outcome = AuditOutcomes.Failed, Reason = error.GetType().Name, Resource = "system/gc", Details = Details(new { request.DryRun }) },
                context,
                CancellationToken.None);
            throw;
        }

        if (result is null)
        {
            return null;
        }

        if (!result.DryRun)
        {
            metrics.ObserveGarbageCollection(result);
        }

        await audit.RecordAsync(
            new AuditEvent
            {
                Action = AuditActions.SystemGc,
                Resource = "system/gc",
                Details = Details(new { result.DryRun, result.ManifestsDeleted, result.LinksDeleted, result.BlobsDeleted, result.ReclaimedBytes, result.Deferred, DurationSeconds = Math.Round(result.Duration.TotalSeconds, 3) }),
            },
            context,
            CancellationToken.None);
        return result;
    }

    private static string Details(object details) => JsonSerializer.Serialize(details, AuditEntryResponse.JsonOptions);
}
