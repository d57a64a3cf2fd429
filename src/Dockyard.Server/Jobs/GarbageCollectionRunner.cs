using Dockyard.Registry.Maintenance;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;
using Dockyard.Server.Observability;

namespace Dockyard.Server.Jobs;

/// <summary>
/// Every garbage collection (scheduled, <c>dockyard gc</c>, the API) runs through here for its <see cref="Caller"/>:
/// authorized (system administrators; the system), then the collector, then one audit entry (<c>system.gc</c> with
/// the request and the counts; a refused, failed or lease-blocked run too) and the last-run metrics.
/// </summary>
internal sealed class GarbageCollectionRunner(GarbageCollector collector, AccessAuthorizer authorizer, AuditedOperations audited, RegistryMetrics metrics)
{
    private const string Busy = "Another garbage collection is running; try again when it has finished.";

    /// <summary>
    /// Runs one collection; null when another one holds the lease (recorded as failed). A refused caller gets the
    /// typed error (<see cref="DomainErrorKind.Forbidden"/>, <see cref="DomainErrorKind.Unauthenticated"/>).
    /// </summary>
    public async Task<GarbageCollectionResult?> RunAsync(GarbageCollectionRequest request, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            return await audited.RunAsync(
                caller,
                new AuditedAction(AuditActions.SystemGc, "system/gc").WithFields(("dryRun", request.DryRun), ("deleteUntaggedManifests", request.DeleteUntaggedManifests)),
                async token => caller.Principal.Kind == PrincipalKind.System || await authorizer.IsSystemAdministratorAsync(caller.Principal, token)
                    ? AccessDecision.Allowed
                    : AccessDecision.Deny("Only system administrators may run garbage collection.", DomainException.Forbidden("Only system administrators may run garbage collection.")),
                async token =>
                {
                    var result = await collector.TryRunAsync(request, token) ?? throw DomainException.Conflict(Busy);
                    if (!result.DryRun)
                    {
                        metrics.ObserveGarbageCollection(result);
                    }

                    return result;
                },
                cancellationToken,
                resultOf: result => AuditedResult.Of(
                    ("manifestsDeleted", result.ManifestsDeleted), ("linksDeleted", result.LinksDeleted), ("blobsDeleted", result.BlobsDeleted),
                    ("reclaimedBytes", result.ReclaimedBytes), ("deferred", result.Deferred), ("durationSeconds", Math.Round(result.Duration.TotalSeconds, 3))));
        }
        catch (DomainException error) when (error.Kind == DomainErrorKind.Conflict)
        {
            return null;
        }
    }
}
