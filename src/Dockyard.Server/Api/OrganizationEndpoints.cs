using System.Text.Json.Serialization;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Policies;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/orgs</c>: organizations. Members see their organization; owners and system administrators manage
/// it. Creating one needs a system administrator, or any user when <c>Dockyard:Auth:AllowUserOrganizations</c>
/// is on; the creator becomes the first owner.
/// </summary>
internal static class OrganizationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/orgs").WithTags("Organizations")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedAsync);
        orgs.MapGet("/", ListAsync).WithName("ListOrganizations").WithSummary("Organizations you belong to (all of them for system administrators).");
        orgs.MapPost("/", CreateAsync).WithName("CreateOrganization").WithSummary("Create an organization; you become its owner.");
        orgs.MapGet("/{org}", GetAsync).WithName("GetOrganization").WithSummary("Get an organization (members).");
        orgs.MapPatch("/{org}", UpdateAsync).WithName("UpdateOrganization").WithSummary("Change description and default member role (owners).");
        orgs.MapDelete("/{org}", DeleteAsync).WithName("DeleteOrganization").WithSummary("Delete an organization without repositories (owners).");
    }

    private static async Task<IResult> ListAsync(HttpContext context, AccessAuthorizer authorizer, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var principal = context.GetPrincipal();
        if (principal is not { Kind: PrincipalKind.User, UserId: { } userId })
        {
            return ApiPrincipal.Forbidden("Only users belong to organizations.");
        }

        var all = await authorizer.IsSystemAdministratorAsync(principal, cancellationToken);
        return Results.Ok((await organizations.ListAsync(all ? null : userId, cancellationToken)).Select(OrganizationResponse.From));
    }

    private static async Task<IResult> CreateAsync(
        CreateOrganizationRequest request,
        HttpContext context,
        AccessAuthorizer authorizer,
        OrganizationService organizations,
        IOptions<AccountOptions> options,
        CancellationToken cancellationToken)
    {
        var principal = context.GetPrincipal();
        if (ApiAccess.RequireFullUser(principal, "Creating an organization") is { } forbidden)
        {
            return forbidden;
        }

        if (!options.Value.AllowUserOrganizations && !await authorizer.IsSystemAdministratorAsync(principal, cancellationToken))
        {
            return ApiPrincipal.Forbidden("Only system administrators may create organizations.");
        }

        var role = request.DefaultMemberRole is null ? RepositoryRole.None : RoleNames.Parse("defaultMemberRole", request.DefaultMemberRole, allowNone: true);
        var organization = await organizations.CreateAsync(request.Name ?? string.Empty, request.Description, role, principal.UserId!.Value, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{organization.Name}", OrganizationResponse.From(organization));
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

    private static async Task<IResult> UpdateAsync(string org, UpdateOrganizationRequest request, HttpContext context, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: true);
        if (denied is not null)
        {
            return denied;
        }

        var role = request.DefaultMemberRole is null ? (RepositoryRole?)null : RoleNames.Parse("defaultMemberRole", request.DefaultMemberRole, allowNone: true);
        return Results.Ok(OrganizationResponse.From(await organizations.UpdateAsync(organization!.Id, request.Description, role, cancellationToken)));
    }

    private static async Task<IResult> DeleteAsync(string org, HttpContext context, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: true);
        if (denied is not null)
        {
            return denied;
        }

        await organizations.DeleteAsync(organization!.Id, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record CreateOrganizationRequest(string? Name, string? Description, string? DefaultMemberRole);

    internal sealed record UpdateOrganizationRequest(string? Description, string? DefaultMemberRole);

    internal sealed record OrganizationResponse(string Name, string? Description, string DefaultMemberRole, DateTimeOffset CreatedAt)
    {
        /// <summary>Quota and usage; only when one organization is read (usage is a query per organization).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public QuotaEndpoints.QuotaResponse? Storage { get; init; }

        public static OrganizationResponse From(OrganizationEntity organization) =>
            new(organization.Name, organization.Description, RoleNames.Of(organization.DefaultMemberRole), organization.CreatedAt);
    }
}
