using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Jobs;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Api;

/// <summary>
/// Storage and garbage collection, read by the web UI's storage pages: <c>GET /api/v1/storage</c> (totals, per
/// namespace, largest repositories; system administrators), <c>GET /api/v1/orgs/{org}/storage</c> (the organization's
/// use, quota and repositories; members, who see the repositories they may pull), <c>GET /api/v1/system/gc/runs</c>
/// (the last collections and what they reclaimed, from the audit trail) and <c>GET|PUT|DELETE /api/v1/system/gc/schedule</c>
/// (the schedule in force; a run-time override, audited by <see cref="GarbageCollectionScheduleStore"/>).
/// </summary>
internal static class StorageEndpoints
{
    private const int TopRepositories = 20;
    private const string AdminsOnly = "Only system administrators may read storage and garbage collection details.";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/storage", GetStorageAsync).WithTags("System").AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync)
            .WithName("GetStorage").WithSummary("Storage used in all, per namespace (with quotas) and by the largest repositories (system administrators).");
        api.MapGet("/orgs/{org}/storage", GetOrganizationStorageAsync).WithTags("Policies").AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync)
            .WithName("GetOrganizationStorage").WithSummary("The organization's storage use and quota, and its repositories the caller may pull with their sizes, largest first (members).");

        var gc = api.MapGroup("/system/gc").WithTags("System").AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        gc.MapGet("/runs", ListRunsAsync).WithName("ListGarbageCollectionRuns")
            .WithSummary("The last garbage collections, newest first: who or what started them, the outcome and what they reclaimed (system administrators).");
        gc.MapGet("/schedule", GetScheduleAsync).WithName("GetGarbageCollectionSchedule")
            .WithSummary("The garbage collection schedule in force and the configured one (system administrators).");
        gc.MapPut("/schedule", PutScheduleAsync).WithName("PutGarbageCollectionSchedule")
            .WithSummary("Override the configured schedule at run time: enabled and interval (e.g. 12h, 1d) (system administrators).");
        gc.MapDelete("/schedule", DeleteScheduleAsync).WithName("DeleteGarbageCollectionSchedule")
            .WithSummary("Remove the run-time override: the configured schedule applies again (system administrators).");
    }

    private static async Task<IResult> GetStorageAsync(HttpContext context, AccessAuthorizer authorizer, StorageReport report)
    {
        if (await AdminOnlyAsync(context, authorizer) is { } denied)
        {
            return denied;
        }

        var token = context.RequestAborted;
        var totals = await report.TotalsAsync(token);
        var namespaces = await report.NamespacesAsync(token);
        var repositories = await report.RepositoriesAsync(null, token);
        return Results.Ok(new StorageResponse(
            totals.Blobs,
            totals.Bytes,
            [.. namespaces.Select(n => new NamespaceStorageResponse(n.Namespace, n.IsOrganization, n.UsedBytes, n.QuotaBytes, n.Repositories))],
            [.. repositories.Take(TopRepositories).Select(RepositoryStorageResponse.From)]));
    }

    private static async Task<IResult> GetOrganizationStorageAsync(string org, HttpContext context, QuotaService quotas, StorageReport report)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        if (denied is not null)
        {
            return denied;
        }

        var status = await quotas.GetAsync(organization!.Id, organization.Name, context.RequestAborted);
        var repositories = await report.VisibleRepositoriesAsync(context.GetPrincipal(), organization.Name, context.RequestAborted);
        return Results.Ok(new OrganizationStorageResponse(organization.Name, status.UsedBytes, status.QuotaBytes, [.. repositories.Select(RepositoryStorageResponse.From)]));
    }

    private static async Task<IResult> ListRunsAsync(int? limit, HttpContext context, AccessAuthorizer authorizer, GarbageCollectionHistory history)
    {
        if (await AdminOnlyAsync(context, authorizer) is { } denied)
        {
            return denied;
        }

        return Results.Ok(await history.ListAsync(limit ?? 20, context.RequestAborted));
    }

    private static async Task<IResult> GetScheduleAsync(HttpContext context, AccessAuthorizer authorizer, GarbageCollectionScheduleStore schedules)
    {
        if (await AdminOnlyAsync(context, authorizer) is { } denied)
        {
            return denied;
        }

        return Results.Ok(ScheduleResponse.From(await schedules.GetAsync(context.RequestAborted)));
    }

    /// <summary>The store authorizes and records the change (a refused or anonymous one too).</summary>
    private static async Task<IResult> PutScheduleAsync(HttpContext context, GarbageCollectionScheduleStore schedules)
    {
        var request = await ApiJson.ReadAsync<ScheduleRequest>(context);
        var current = await schedules.GetAsync(context.RequestAborted);
        var schedule = await schedules.SetAsync(Caller.Of(context), request?.Enabled ?? current.Enabled, request?.Interval, context.RequestAborted);
        return Results.Ok(ScheduleResponse.From(schedule));
    }

    private static async Task<IResult> DeleteScheduleAsync(HttpContext context, GarbageCollectionScheduleStore schedules)
    {
        await schedules.ResetAsync(Caller.Of(context), context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult?> AdminOnlyAsync(HttpContext context, AccessAuthorizer authorizer) =>
        await authorizer.IsSystemAdministratorAsync(context.GetPrincipal(), context.RequestAborted) ? null : ApiPrincipal.Forbidden(AdminsOnly);

    internal sealed record ScheduleRequest(bool? Enabled, string? Interval);

    internal sealed record ScheduleResponse(bool Enabled, string Interval, long IntervalSeconds, bool Overridden, string? UpdatedBy, DateTimeOffset? UpdatedAt, bool ConfiguredEnabled, string ConfiguredInterval)
    {
        public static ScheduleResponse From(GarbageCollectionSchedule schedule) => new(
            schedule.Enabled,
            DurationText.Format(schedule.Interval),
            (long)schedule.Interval.TotalSeconds,
            schedule.Overridden,
            schedule.UpdatedBy,
            schedule.UpdatedAt,
            schedule.ConfiguredEnabled,
            DurationText.Format(schedule.ConfiguredInterval));
    }

    internal sealed record StorageResponse(int Blobs, long TotalBytes, IReadOnlyList<NamespaceStorageResponse> Namespaces, IReadOnlyList<RepositoryStorageResponse> TopRepositories);

    internal sealed record NamespaceStorageResponse(string Namespace, bool Organization, long UsedBytes, long? QuotaBytes, int Repositories);

    internal sealed record OrganizationStorageResponse(string Organization, long UsedBytes, long? QuotaBytes, IReadOnlyList<RepositoryStorageResponse> Repositories);

    internal sealed record RepositoryStorageResponse(string Repository, long Bytes, string Size, int Blobs, int Manifests)
    {
        public static RepositoryStorageResponse From(RepositoryStorage repository) =>
            new(repository.Repository, repository.Bytes, ByteSize.Format(repository.Bytes), repository.Blobs, repository.Manifests);
    }
}
