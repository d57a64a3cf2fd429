using System.Text.Json.Serialization;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/orgs</c>: organizations. Members see their organization; owners and system administrators manage
/// it. Creating one needs a system administrator, or any user when <c>Dockyard:Auth:AllowUserOrganizations</c>
/// is on; the creator becomes the first owner. Changes are authorized and audited by <see cref="OrganizationService"/>
/// (its refusals arrive as <see cref="DomainException"/>); only the reads are authorized here.
/// </summary>
internal static class OrganizationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/orgs").WithTags("Organizations")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        orgs.MapGet("/", ListAsync).WithName("ListOrganizations").WithSummary("Organizations you belong to (all of them for system administrators).");
        orgs.MapPost("/", CreateAsync).WithName("CreateOrganization").WithSummary("Create an organization; you become its owner.");
        orgs.MapGet("/{org}", GetAsync).WithName("GetOrganization").WithSummary("Get an organization (members).");
        orgs.MapPatch("/{org}", UpdateAsync).WithName("UpdateOrganization").WithSummary("Change description and default member role (owners).");
        orgs.MapDelete("/{org}", DeleteAsync).WithName("DeleteOrganization")
            .WithSummary("Delete an organization (owners); one that has repositories only with ?deleteRepositories=true, which deletes them first.");
    }

    private static async Task<IResult> ListAsync(HttpContext context, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var principal = context.GetPrincipal();
        if (principal is not { Kind: PrincipalKind.User, UserId: not null })
        {
            return ApiPrincipal.Forbidden("Only users belong to organizations.");
        }

        return Results.Ok((await organizations.ListAsync(principal, cancellationToken)).Select(o => OrganizationResponse.From(OrganizationView.From(o))));
    }

    private static async Task<IResult> CreateAsync(CreateOrganizationRequest request, HttpContext context, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var organization = await organizations.CreateAsync(Caller.Of(context), request.Name ?? string.Empty, request.Description, request.DefaultMemberRole, ownerUserId: null, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{organization.Name}", OrganizationResponse.From(OrganizationView.From(organization)));
    }

    private static async Task<IResult> GetAsync(string org, HttpContext context, QuotaService quotas)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        if (denied is not null)
        {
            return denied;
        }

        var storage = await quotas.GetAsync(organization!.Id, organization.Name, context.RequestAborted);
        return Results.Ok(OrganizationResponse.From(organization) with { Storage = QuotaEndpoints.QuotaResponse.From(organization.Name, storage) });
    }

    private static async Task<IResult> UpdateAsync(string org, UpdateOrganizationRequest request, HttpContext context, OrganizationService organizations, CancellationToken cancellationToken) =>
        Results.Ok(OrganizationResponse.From(OrganizationView.From(await organizations.UpdateAsync(Caller.Of(context), org, request.Description, request.DefaultMemberRole, cancellationToken))));

    private static async Task<IResult> DeleteAsync(string org, bool? deleteRepositories, HttpContext context, OrganizationService organizations, CancellationToken cancellationToken)
    {
        await organizations.DeleteAsync(Caller.Of(context), org, deleteRepositories ?? false, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record CreateOrganizationRequest(string? Name, string? Description, string? DefaultMemberRole);

    internal sealed record UpdateOrganizationRequest(string? Description, string? DefaultMemberRole);

    internal sealed record OrganizationResponse(string Name, string? Description, string DefaultMemberRole, DateTimeOffset CreatedAt)
    {
        /// <summary>Quota and usage; only when one organization is read (usage is a query per organization).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public QuotaEndpoints.QuotaResponse? Storage { get; init; }

        public static OrganizationResponse From(OrganizationView organization) =>
            new(organization.Name, organization.Description, RoleNames.Of(organization.DefaultMemberRole), organization.CreatedAt);
    }
}
