using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/orgs/{org}/members</c>: members see the list; owners add, promote, demote and remove members; a
/// member may leave. The last owner can be neither demoted nor removed. Changes are authorized and audited by
/// <see cref="OrganizationService"/>; only the list is authorized here.
/// </summary>
internal static class OrganizationMemberEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var members = api.MapGroup("/orgs/{org}/members").WithTags("Organizations")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        members.MapGet("/", ListAsync).WithName("ListOrganizationMembers").WithSummary("List members (members).");
        members.MapPost("/", AddAsync).WithName("AddOrganizationMember").WithSummary("Add a member, optionally as owner (owners).");
        members.MapPatch("/{username}", UpdateAsync).WithName("UpdateOrganizationMember").WithSummary("Make a member an owner or not (owners).");
        members.MapDelete("/{username}", RemoveAsync).WithName("RemoveOrganizationMember").WithSummary("Remove a member (owners), or leave (the member themself).");
    }

    private static async Task<IResult> ListAsync(string org, HttpContext context, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Results.Ok(await organizations.ListMembersAsync(organization!.Id, cancellationToken));
    }

    private static async Task<IResult> AddAsync(string org, AddMemberRequest request, HttpContext context, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var member = await organizations.AddMemberAsync(Caller.Of(context), org, request.Username, request.IsOwner, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{org}/members/{member.Username}", member);
    }

    private static async Task<IResult> UpdateAsync(string org, string username, UpdateMemberRequest request, HttpContext context, OrganizationService organizations, CancellationToken cancellationToken) =>
        Results.Ok(await organizations.SetOwnerAsync(Caller.Of(context), org, username, request.IsOwner, cancellationToken));

    private static async Task<IResult> RemoveAsync(string org, string username, HttpContext context, OrganizationService organizations, CancellationToken cancellationToken)
    {
        await organizations.RemoveMemberAsync(Caller.Of(context), org, username, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record AddMemberRequest(string? Username, bool IsOwner);

    internal sealed record UpdateMemberRequest(bool IsOwner);
}
