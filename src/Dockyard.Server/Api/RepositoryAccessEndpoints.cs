using Dockyard.Server.Access;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>GET /api/v1/repositories/{name}/access?user=NAME</c>: the effective permissions of a user (or a service account,
/// <c>org/name</c>) on a repository, for its administrators: the authorizer's own decisions on pull, push, delete and
/// administer, the resulting role, and every rule that contributes (<see cref="AccessAuthorizer.ExplainRepositoryAccessAsync"/>).
/// </summary>
internal static class RepositoryAccessEndpoints
{
    private const string Shape = "access";

    public static void Map(RouteGroupBuilder api)
    {
        var repositories = api.MapGroup("/repositories").WithTags("Repositories")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        repositories.MapGet(RepositoryPathConstraint.Route(Shape), GetAsync).WithName("GetRepositoryAccess")
            .WithSummary("Effective permissions of ?user=NAME (or org/service-account) on the repository, and which grants give them (repository administrators).");
    }

    private static async Task<IResult> GetAsync(string path, string? user, HttpContext context, AccessAuthorizer authorizer)
    {
        // The route constraint matched this shape, so the path parses.
        RepositoryPath.TryParse(path, Shape, out var parsed);
        var (_, denied) = await ApiAccess.RepositoryAsync(context, parsed.Repository.Value, administer: true);
        if (denied is not null)
        {
            return denied;
        }

        if (string.IsNullOrWhiteSpace(user))
        {
            return ApiResults.Invalid("user", "Name the user (or org/service-account) whose access to explain: ?user=NAME.");
        }

        var principal = await authorizer.FindAccountPrincipalAsync(user.Trim(), context.RequestAborted);
        if (principal is null)
        {
            return ApiResults.NotFound($"No user or service account named '{user.Trim()}'.");
        }

        var explanation = await authorizer.ExplainRepositoryAccessAsync(principal, parsed.Repository, context.RequestAborted);
        return Results.Ok(RepositoryAccessResponse.From(parsed.Repository.Value, explanation));
    }
}
