using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/orgs/{org}/teams</c>: members see teams and their members; owners manage them. Changes are authorized
/// and audited by <see cref="TeamService"/>; only the reads are authorized here.
/// </summary>
internal static class TeamEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var teams = api.MapGroup("/orgs/{org}/teams").WithTags("Teams")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        teams.MapGet("/", ListAsync).WithName("ListTeams").WithSummary("List an organization's teams (members).");
        teams.MapPost("/", CreateAsync).WithName("CreateTeam").WithSummary("Create a team (owners).");
        teams.MapGet("/{team}", GetAsync).WithName("GetTeam").WithSummary("Get a team (members).");
        teams.MapPatch("/{team}", UpdateAsync).WithName("UpdateTeam").WithSummary("Rename a team or change its description (owners).");
        teams.MapDelete("/{team}", DeleteAsync).WithName("DeleteTeam").WithSummary("Delete a team with its grants (owners).");
        teams.MapGet("/{team}/members", ListMembersAsync).WithName("ListTeamMembers").WithSummary("List a team's members (members).");
        teams.MapPut("/{team}/members/{username}", AddMemberAsync).WithName("AddTeamMember").WithSummary("Add an organization member to a team (owners).");
        teams.MapDelete("/{team}/members/{username}", RemoveMemberAsync).WithName("RemoveTeamMember").WithSummary("Remove a member from a team (owners).");
    }

    private static async Task<IResult> ListAsync(string org, HttpContext context, TeamService teams, CancellationToken cancellationToken)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Results.Ok((await teams.ListAsync(organization!.Id, cancellationToken)).Select(t => TeamResponse.From(TeamView.From(t))));
    }

    private static async Task<IResult> CreateAsync(string org, CreateTeamRequest request, HttpContext context, TeamService teams, CancellationToken cancellationToken)
    {
        var team = await teams.CreateAsync(Caller.Of(context), org, request.Name ?? string.Empty, request.Description, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{org}/teams/{team.Name}", TeamResponse.From(TeamView.From(team)));
    }

    private static async Task<IResult> GetAsync(string org, string team, HttpContext context, TeamService teams, CancellationToken cancellationToken)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Results.Ok(TeamResponse.From(TeamView.From(await teams.GetAsync(organization!.Id, team, cancellationToken))));
    }

    private static async Task<IResult> UpdateAsync(string org, string team, UpdateTeamRequest request, HttpContext context, TeamService teams, CancellationToken cancellationToken) =>
        Results.Ok(TeamResponse.From(TeamView.From(await teams.UpdateAsync(Caller.Of(context), org, team, request.Name, request.Description, cancellationToken))));

    private static async Task<IResult> DeleteAsync(string org, string team, HttpContext context, TeamService teams, CancellationToken cancellationToken)
    {
        await teams.DeleteAsync(Caller.Of(context), org, team, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ListMembersAsync(string org, string team, HttpContext context, TeamService teams, CancellationToken cancellationToken)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Results.Ok((await teams.ListMembersAsync(organization!.Id, team, cancellationToken))
            .Select(m => new TeamMemberResponse(m.Username, m.DisplayName, m.Source.ToString().ToLowerInvariant(), m.CreatedAt)));
    }

    private static async Task<IResult> AddMemberAsync(string org, string team, string username, HttpContext context, TeamService teams, CancellationToken cancellationToken)
    {
        await teams.AddMemberAsync(Caller.Of(context), org, team, username, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> RemoveMemberAsync(string org, string team, string username, HttpContext context, TeamService teams, CancellationToken cancellationToken)
    {
        await teams.RemoveMemberAsync(Caller.Of(context), org, team, username, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record CreateTeamRequest(string? Name, string? Description);

    internal sealed record UpdateTeamRequest(string? Name, string? Description);

    internal sealed record TeamMemberResponse(string Username, string? DisplayName, string Source, DateTimeOffset CreatedAt);

    internal sealed record TeamResponse(string Name, string? Description, string? LdapGroup, DateTimeOffset CreatedAt)
    {
        public static TeamResponse From(TeamView team) => new(team.Name, team.Description, team.LdapGroup, team.CreatedAt);
    }
}
