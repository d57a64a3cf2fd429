using Dockyard.Registry.Maintenance;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Images;
using Dockyard.Server.Errors;
using Dockyard.Server.Observability;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Jobs;

/// <summary>
/// Every garbage collection (scheduled, <c>dockyard gc</c>, the API) runs through here for its <see cref="Caller"/>:
/// authorized (system administrators; the system), then the collector, then one audit entry (<c>system.gc</c> with
/// the request and the counts; a refused, failed or lease-blocked run too) and the last-run metrics
/// (a failed run also counts in <c>dockyard_gc_failures_total</c>).
/// </summary>
/// <remarks>
/// Manifests that running containers or Swarm services use (<see cref="RuntimeUsage"/>, asked fresh for every run) are
/// kept although untagged, and with them their children and blobs. When some engine could not be asked, what it runs
/// is unknown: the run then deletes no untagged manifest at all (links and blobs no manifest references are still
/// collected — nothing that runs can need them) and says so in its warnings and audit entry.
/// </remarks>
internal sealed class GarbageCollectionRunner(
    GarbageCollector collector,
    AccessAuthorizer authorizer,
    AuditedOperations audited,
    RegistryMetrics metrics,
    RuntimeUsage usage,
    IOptions<GarbageCollectionOptions> options)
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
                    var (protectedRequest, warnings) = await ProtectAsync(request, token);
                    var result = await collector.TryRunAsync(protectedRequest, token) ?? throw DomainException.Conflict(Busy);
                    result = result with { Warnings = warnings };
                    if (!result.DryRun)
                    {
                        metrics.ObserveGarbageCollection(result);
                    }

                    return result;
                },
                cancellationToken,
                resultOf: result => AuditedResult.Of(
                    ("manifestsDeleted", result.ManifestsDeleted), ("linksDeleted", result.LinksDeleted), ("blobsDeleted", result.BlobsDeleted),
                    ("reclaimedBytes", result.ReclaimedBytes), ("deferred", result.Deferred), ("durationSeconds", Math.Round(result.Duration.TotalSeconds, 3)),
                    ("warnings", result.Warnings.Count == 0 ? null : string.Join(" ", result.Warnings))));
        }
        catch (DomainException error) when (error.Kind == DomainErrorKind.Conflict)
        {
            return null;
        }
        catch (Exception error) when (Failed(error, cancellationToken))
        {
            throw;
        }
    }

    /// <summary>Counts a run that broke (never true: the exception goes on to the caller). Refusals and cancellation are no failures.</summary>
    private bool Failed(Exception error, CancellationToken cancellationToken)
    {
        var refused = error is DomainException { Kind: DomainErrorKind.Forbidden or DomainErrorKind.Unauthenticated };
        var cancelled = error is OperationCanceledException && cancellationToken.IsCancellationRequested;
        if (!refused && !cancelled)
        {
            metrics.GarbageCollectionFailed();
        }

        return false;
    }

    /// <summary>The request with in-use manifests kept, or with untagged-manifest deletion off when usage is unknown.</summary>
    private async Task<(GarbageCollectionRequest Request, IReadOnlyList<string> Warnings)> ProtectAsync(GarbageCollectionRequest request, CancellationToken cancellationToken)
    {
        if (!(request.DeleteUntaggedManifests ?? options.Value.DeleteUntaggedManifests))
        {
            // Tagged manifests are never collected, so nothing else can take a running image's content away.
            return (request, []);
        }

        var snapshot = await usage.GetFreshAsync(cancellationToken);
        if (!snapshot.IsComplete)
        {
            return (request with { DeleteUntaggedManifests = false },
                [$"Untagged manifests were not deleted: what the engines run is not known ({snapshot.DescribeUnknown()}). Bring the engine back or remove it, then run again."]);
        }

        return (request with { Keep = digest => snapshot.InUse(digest.Value) }, []);
    }
}
