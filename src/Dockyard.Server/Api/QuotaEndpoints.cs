using Dockyard.Server.Audit;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/orgs/{org}/quota</c>: an organization's storage quota and usage (GET: members). Setting or removing it
/// (PUT, DELETE) is for system administrators only: a quota an owner could raise would limit nothing. Changes are
/// authorized and audited by <see cref="QuotaService"/>.
/// </summary>
internal static class QuotaEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var quota = api.MapGroup("/orgs/{org}/quota").WithTags("Policies")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        quota.MapGet("/", GetAsync).WithName("GetOrganizationQuota").WithSummary("Storage quota and usage (distinct blobs and manifests) of an organization (members).");
        quota.MapPut("/", PutAsync).WithName("PutOrganizationQuota").WithSummary("Set the organization's storage quota in bytes (system administrators).");
        quota.MapDelete("/", DeleteAsync).WithName("DeleteOrganizationQuota").WithSummary("Remove the organization's storage quota (system administrators).");
    }

    private static async Task<IResult> GetAsync(string org, HttpContext context, QuotaService quotas)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Results.Ok(QuotaResponse.From(organization!.Name, await quotas.GetAsync(organization.Id, organization.Name, context.RequestAborted)));
    }

    private static async Task<IResult> PutAsync(string org, QuotaRequest request, HttpContext context, QuotaService quotas)
    {
        var id = await quotas.SetAsync(Caller.Of(context), org, request.LimitBytes, remove: false, context.RequestAborted);
        return Results.Ok(QuotaResponse.From(org, await quotas.GetAsync(id, org, context.RequestAborted)));
    }

    private static async Task<IResult> DeleteAsync(string org, HttpContext context, QuotaService quotas)
    {
        await quotas.SetAsync(Caller.Of(context), org, null, remove: true, context.RequestAborted);
        return Results.NoContent();
    }

    internal sealed record QuotaRequest(long? LimitBytes);

    internal sealed record QuotaResponse(string Organization, long? LimitBytes, long UsedBytes, string? Limit, string Used)
    {
        public static QuotaResponse From(string organization, StorageStatus status) =>
            new(organization, status.QuotaBytes, status.UsedBytes, status.QuotaBytes is { } limit ? ByteSize.Format(limit) : null, ByteSize.Format(status.UsedBytes));
    }
}
