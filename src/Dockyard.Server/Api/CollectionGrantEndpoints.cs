using Dockyard.Server.Audit;
using Dockyard.Server.Control;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/grants</c>: control-plane collection grants — a subject (user, team, organization, service account)
/// holds a built-in role on a collection and everything below it (system administrators). Changes are authorized and
/// audited by <see cref="CollectionGrantService"/>.
/// </summary>
internal static class CollectionGrantEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var grants = api.MapGroup("/grants").WithTags("Collection grants")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        grants.MapGet("/", ListAsync).WithName("ListCollectionGrants").WithSummary("Every collection grant (administrators).");
        grants.MapPost("/", CreateAsync).WithName("CreateCollectionGrant")
            .WithSummary("Grant a built-in role (view-only, restricted-control, scheduler, full-control, none) on a collection to a user, team (org/team), organization or service account (org/name) (administrators).");
        grants.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteCollectionGrant").WithSummary("Remove a collection grant (administrators).");
    }

    private static async Task<IResult> ListAsync(HttpContext context, CollectionGrantService grants, CancellationToken cancellationToken) =>
        Results.Ok(await grants.ListAsync(Caller.Of(context), cancellationToken));

    private static async Task<IResult> CreateAsync(CollectionGrantRequest? request, HttpContext context, CollectionGrantService grants, CancellationToken cancellationToken)
    {
        var grant = await grants.CreateAsync(
            Caller.Of(context),
            request is null ? null : new NewCollectionGrant(request.SubjectKind, request.Subject, request.Role, request.Collection),
            cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/grants/{grant.Id}", grant);
    }

    private static async Task<IResult> DeleteAsync(long id, HttpContext context, CollectionGrantService grants, CancellationToken cancellationToken)
    {
        await grants.DeleteAsync(Caller.Of(context), id, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record CollectionGrantRequest(string? SubjectKind, string? Subject, string? Role, string? Collection);
}
