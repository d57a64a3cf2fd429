using Dockyard.Registry.Maintenance;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Jobs;
using Dockyard.Server.Observability;
using Dockyard.Server.Storage;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/system</c>: the whole registry, for system administrators. <c>GET /system</c> describes the running
/// server (version, commit, uptime, database, storage, schema); <c>POST /system/gc</c> runs a garbage collection now
/// (optionally a dry run) and returns what it deleted; 409 while another one runs.
/// </summary>
internal static class SystemEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var system = api.MapGroup("/system").WithTags("System").AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        system.MapGet(string.Empty, GetSystemAsync).WithName("GetSystem")
            .WithSummary("The running server: version, commit, start time, uptime, database provider, storage driver and schema version (last applied migration). System administrators.");
        system.MapPost("/gc", RunGarbageCollectionAsync).WithName("RunGarbageCollection")
            .WithSummary("Run garbage collection now (dryRun: report only; deleteUntaggedManifests overrides the configured policy). System administrators.");
    }

    private static async Task<IResult> GetSystemAsync(
        HttpContext context,
        AccessAuthorizer authorizer,
        ServerStart start,
        DatabaseMigrator migrator,
        IOptions<DatabaseOptions> database,
        IOptions<StorageOptions> storage,
        CancellationToken cancellationToken)
    {
        if (!await authorizer.IsSystemAdministratorAsync(context.GetPrincipal(), cancellationToken))
        {
            return ApiPrincipal.Forbidden("Only system administrators may read the server's details.");
        }

        var schema = await migrator.GetStatusAsync(cancellationToken);
        var build = BuildInfo.Current;
        return Results.Ok(new SystemResponse(
            build.Version,
            build.Commit,
            start.StartedAt,
            start.UptimeSeconds,
            database.Value.Provider.ToString().ToLowerInvariant(),
            storage.Value.Driver.ToString().ToLowerInvariant(),
            schema.Applied.Count > 0 ? schema.Applied[^1] : null));
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

    /// <summary>The running server, as <c>GET /api/v1/system</c> returns it.</summary>
    internal sealed record SystemResponse(
        string Version,
        string Commit,
        DateTimeOffset StartedAt,
        long UptimeSeconds,
        string DatabaseProvider,
        string StorageDriver,
        string? SchemaVersion);

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
