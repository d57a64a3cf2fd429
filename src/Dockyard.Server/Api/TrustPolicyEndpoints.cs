using Dockyard.Server.Audit;
using Dockyard.Server.Trust.Policies;

namespace Dockyard.Server.Api;

/// <summary>
/// Signature policies of an organization (<c>/api/v1/orgs/{org}/trust-policies</c>; members read, owners and system
/// administrators change). Changes are authorized and audited by <see cref="TrustPolicyService"/>.
/// </summary>
internal static class TrustPolicyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orgs/{org}/trust-policies").WithTags("Policies")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        group.MapGet("/", ListAsync).WithName("ListTrustPolicies").WithSummary("Signature policies of an organization (members).");
        group.MapPost("/", CreateAsync).WithName("CreateTrustPolicy")
            .WithSummary("Require signatures (mode any: a trusted key of the organization; teams: a key of each listed team) for repositories matching repositoryPattern, at deploy and/or pull (owners).");
        group.MapPut("/{id:long}", UpdateAsync).WithName("UpdateTrustPolicy").WithSummary("Replace a signature policy (owners).");
        group.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteTrustPolicy").WithSummary("Delete a signature policy (owners).");
    }

    private static async Task<IResult> ListAsync(string org, HttpContext context, TrustPolicyService policies)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Results.Ok(await policies.ListAsync(organization!.Id, context.RequestAborted));
    }

    private static async Task<IResult> CreateAsync(string org, HttpContext context, TrustPolicyService policies)
    {
        var request = await ApiJson.ReadAsync<TrustPolicyRequest>(context);
        var policy = await policies.CreateAsync(Caller.Of(context), org, request?.ToInput(), context.RequestAborted);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{org}/trust-policies/{policy.Id}", policy);
    }

    private static async Task<IResult> UpdateAsync(string org, long id, HttpContext context, TrustPolicyService policies)
    {
        var request = await ApiJson.ReadAsync<TrustPolicyRequest>(context);
        return Results.Ok(await policies.UpdateAsync(Caller.Of(context), org, id, request?.ToInput(), context.RequestAborted));
    }

    private static async Task<IResult> DeleteAsync(string org, long id, HttpContext context, TrustPolicyService policies)
    {
        await policies.DeleteAsync(Caller.Of(context), org, id, context.RequestAborted);
        return Results.NoContent();
    }

    internal sealed record TrustPolicyRequest(
        string? RepositoryPattern, string? Mode, IReadOnlyList<string>? Teams, bool? EnforceDeploy, bool? EnforcePull, IReadOnlyList<string>? PullPrincipalKinds)
    {
        public TrustPolicyInput ToInput() => new(RepositoryPattern, Mode, Teams, EnforceDeploy ?? false, EnforcePull ?? false, PullPrincipalKinds);
    }
}
