using Dockyard.Registry.Maintenance;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Jobs;
using Dockyard.Server.ServerStatus;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/system</c>: the whole registry, for system administrators. <c>GET /system</c> describes the running
/// server as the <c>/system</c> page does (<see cref="SystemStatus"/>: version, commit, uptime, database, storage and
/// their readiness, schema, replicas' leases, background jobs' last runs, configuration with secrets masked);
/// <c>POST /system/gc</c> runs a garbage collection now (optionally a dry run) and returns what it deleted; 409
/// while another one runs.
/// </summary>
internal static class SystemEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var system = api.MapGroup("/system").WithTags("System").AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        system.MapGet(string.Empty, GetSystemAsync).WithName("GetSystem")
            .WithSummary("The running server: version, commit, start time, uptime, database provider, storage driver, schema version (last applied migration) and pending migrations, readiness checks, lock mode and leases, background jobs' last runs, and the Dockyard:* configuration with secrets masked. System administrators.");
        system.MapPost("/gc", RunGarbageCollectionAsync).WithName("RunGarbageCollection")
            .WithSummary("Run garbage collection now (dryRun: report only; deleteUntaggedManifests overrides the configured policy). System administrators.");
    }

    private static async Task<IResult> GetSystemAsync(HttpContext context, AccessAuthorizer authorizer, SystemStatusService status, CancellationToken cancellationToken)
    {
        if (!await authorizer.IsSystemAdministratorAsync(context.GetPrincipal(), cancellationToken))
        {
            return ApiPrincipal.Forbidden("Only system administrators may read the server's details.");
        }

        // The same status the /system page shows: secrets in the configuration are masked by the service.
        return Results.Ok(await status.GetAsync(cancellationToken));
    }

    private static async Task<IResult> RunGarbageCollectionAsync(
        HttpContext context,
        GarbageCollectionRunner runner,
        IHostApplicationLifetime lifetime,
        GarbageCollectionBody? body)
    {
        // The runner authorizes and records the run (a refused or anonymous one too). A client that hangs up does not stop a collection halfway (it would be safe, but wasted work); shutdown does.
        var request = new GarbageCollectionRequest { DryRun = body?.DryRun ?? false, DeleteUntaggedManifests = body?.DeleteUntaggedManifests };
        var result = await runner.RunAsync(request, Caller.Of(context), lifetime.ApplicationStopping);
        return result is null
            ? ApiResults.Conflict("Another garbage collection is running; try again when it has finished.")
            : Results.Ok(GarbageCollectionResponse.From(result));
    }

    internal sealed record GarbageCollectionBody(bool? DryRun, bool? DeleteUntaggedManifests);

    internal sealed record GarbageCollectionResponse(
        bool DryRun,
        int ManifestsDeleted,
        int LinksDeleted,
        int BlobsDeleted,
        long ReclaimedBytes,
        int Deferred,
        DateTimeOffset StartedAt,
        double DurationSeconds,
        IReadOnlyList<string> Warnings)
    {
        public static GarbageCollectionResponse From(GarbageCollectionResult result) => new(
            result.DryRun,
            result.ManifestsDeleted,
            result.LinksDeleted,
            result.BlobsDeleted,
            result.ReclaimedBytes,
            result.Deferred,
            result.StartedAt,
            result.Duration.TotalSeconds,
            result.Warnings);
    }
}
