using System.Text.RegularExpressions;
using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/repositories</c>: the repositories a caller may pull (anonymous callers see public ones), creating one
/// before its first push (<c>POST</c>; whoever may push to the name), deleting one (<c>DELETE /repositories/{name}</c>;
/// repository administrators), their settings (visibility, description; repository administrators) and their permissions
/// (<c>/repositories/{name}/permissions</c>, <c>.../permissions/users/{user}</c>, <c>.../permissions/teams/{team}</c>).
/// Names contain slashes, so one catch-all route per method parses the suffix; a GET path ending in
/// <c>/permissions</c> always means the permission list. Changes are authorized and audited by
/// <see cref="RepositoryService"/>; only the reads are authorized here.
/// </summary>
internal static partial class RepositoryEndpoints
{
    private const string PermissionsSuffix = "/permissions";

    public static void Map(RouteGroupBuilder api)
    {
        var repositories = api.MapGroup("/repositories").WithTags("Repositories");
        repositories.MapGet("/", ListAsync).WithName("ListRepositories").WithSummary("Repositories you may pull, filtered by namespace and name substring, paged.");
        repositories.MapGet("/{**path}", GetAsync).WithName("GetRepository")
            .WithSummary("Get a repository ({name}), or list its permissions ({name}/permissions; repository administrators).");
        var writes = repositories.MapGroup("/").AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        writes.MapPost("/", CreateAsync).WithName("CreateRepository")
            .WithSummary("Create an empty repository before its first push: name, visibility (private by default), description (whoever may push to the name).");
        writes.MapPatch("/{**path}", UpdateAsync).WithName("UpdateRepository").WithSummary("Change visibility (public/private) and description (Markdown README, at most 25,000 characters; repository administrators).");
        writes.MapPut("/{**path}", GrantAsync).WithName("GrantRepositoryPermission")
            .WithSummary("{name}/permissions/users/{user} or {name}/permissions/teams/{team}: grant read, write or admin (repository administrators).");
        writes.MapDelete("/{**path}", DeleteAsync).WithName("DeleteRepositoryOrPermission")
            .WithSummary("{name}: delete the repository with its tags, manifests, grants, webhooks and policies (repository administrators; blobs go at the next garbage collection). "
                + "{name}/permissions/users/{user} or {name}/permissions/teams/{team}: revoke a grant (repository administrators).");
    }

    private static async Task<IResult> ListAsync(HttpContext context, RepositoryService repositories, string? @namespace, string? q, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var result = await repositories.ListAsync(context.GetPrincipal(), @namespace, q, page ?? 1, pageSize ?? 50, cancellationToken);
        return Results.Ok(new RepositoryListResponse([.. result.Items.Select(r => RepositoryResponse.From(RepositoryDetails.From(r)))], result.Page, result.PageSize, result.Total));
    }

    private static async Task<IResult> GetAsync(string path, HttpContext context, RepositoryService repositories, CancellationToken cancellationToken)
    {
        if (path.EndsWith(PermissionsSuffix, StringComparison.Ordinal))
        {
            if (!context.GetPrincipal().IsAuthenticated)
            {
                return ApiPrincipal.Unauthorized(context);
            }

            var name = path[..^PermissionsSuffix.Length];
            var (_, denied) = await ApiAccess.RepositoryAsync(context, name, administer: true);
            return denied ?? Results.Ok((await repositories.ListGrantsAsync(RepositoryName.Parse(name), cancellationToken))
                .Select(g => new PermissionResponse(g.SubjectKind == PermissionSubject.User ? "user" : "team", g.Subject, RoleNames.Of(g.Role), g.CreatedAt)));
        }

        var (repository, hidden) = await ApiAccess.RepositoryAsync(context, path, administer: false);
        return hidden ?? Results.Ok(RepositoryResponse.From(repository!));
    }

    private static async Task<IResult> UpdateAsync(string path, UpdateRepositoryRequest request, HttpContext context, RepositoryService repositories, CancellationToken cancellationToken) =>
        Results.Ok(RepositoryResponse.From(RepositoryDetails.From(await repositories.UpdateAsync(Caller.Of(context), path, request.Visibility, request.Description, cancellationToken))));

    private static async Task<IResult> GrantAsync(string path, GrantRequest request, HttpContext context, RepositoryService repositories, CancellationToken cancellationToken)
    {
        if (ParseGrantPath(path) is not { } target)
        {
            return NoSuchGrant(path);
        }

        var created = await repositories.GrantAsync(Caller.Of(context), target.Repository, target.Kind, target.Subject, request.Role, cancellationToken);
        var response = new PermissionResponse(target.Kind == PermissionSubject.User ? "user" : "team", target.Subject, RoleNames.Of(RoleNames.Parse("role", request.Role, allowNone: false)), null);
        return created ? Results.Created($"{ManagementApi.Prefix}/repositories/{path}", response) : Results.Ok(response);
    }

    private static async Task<IResult> CreateAsync(CreateRepositoryRequest request, HttpContext context, RepositoryService repositories, CancellationToken cancellationToken)
    {
        var created = await repositories.CreateAsync(Caller.Of(context), request.Name ?? string.Empty, request.Visibility, request.Description, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/repositories/{created.Name}", RepositoryResponse.From(RepositoryDetails.From(created)));
    }

    private static async Task<IResult> DeleteAsync(string path, HttpContext context, RepositoryService repositories, CancellationToken cancellationToken)
    {
        if (ParseGrantPath(path) is not { } target)
        {
            if (path.Contains(PermissionsSuffix + "/", StringComparison.Ordinal) || path.EndsWith(PermissionsSuffix, StringComparison.Ordinal))
            {
                return NoSuchGrant(path);
            }

            await repositories.DeleteAsync(Caller.Of(context), path, cancellationToken);
            return Results.NoContent();
        }

        await repositories.RevokeAsync(Caller.Of(context), target.Repository, target.Kind, target.Subject, cancellationToken);
        return Results.NoContent();
    }

    private static IResult NoSuchGrant(string path) =>
        ApiResults.NotFound($"No such resource: '{path}'. Use {{repository}}/permissions/users/{{user}} or {{repository}}/permissions/teams/{{team}}.");

    private static GrantTarget? ParseGrantPath(string path)
    {
        var match = GrantPath().Match(path);
        if (!match.Success)
        {
            return null;
        }

        var kind = match.Groups["kind"].Value == "users" ? PermissionSubject.User : PermissionSubject.Team;
        return new GrantTarget(match.Groups["repository"].Value, kind, match.Groups["subject"].Value);
    }

    [GeneratedRegex(@"^(?<repository>.+)/permissions/(?<kind>users|teams)/(?<subject>[^/]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex GrantPath();

    private sealed record GrantTarget(string Repository, PermissionSubject Kind, string Subject);

    internal sealed record CreateRepositoryRequest(string? Name, string? Visibility, string? Description);

    internal sealed record UpdateRepositoryRequest(string? Visibility, string? Description);

    internal sealed record GrantRequest(string? Role);

    internal sealed record PermissionResponse(string SubjectKind, string Subject, string Role, DateTimeOffset? CreatedAt);

    internal sealed record RepositoryListResponse(IReadOnlyList<RepositoryResponse> Items, int Page, int PageSize, int Total);

    /// <summary>A repository; <c>pullCount</c>/<c>lastPulledAt</c> count manifest GETs by tag or digest, as of the last flush (seconds behind).</summary>
    internal sealed record RepositoryResponse(string Name, string Visibility, string? Description, DateTimeOffset CreatedAt, long PullCount, DateTimeOffset? LastPulledAt)
    {
        public static RepositoryResponse From(RepositoryDetails repository) =>
            new(repository.Name, repository.Visibility.ToString().ToLowerInvariant(), repository.Description, repository.CreatedAt, repository.PullCount, repository.LastPulledAt);
    }
}
