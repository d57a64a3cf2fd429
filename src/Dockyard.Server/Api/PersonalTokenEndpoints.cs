using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/me/tokens</c>: a user's personal access tokens (usable as the docker login password). Listing,
/// creating and revoking need the user's full rights: a scoped token can neither mint a broader one nor see or revoke
/// the others. Authorized (and changes audited) by <see cref="AccessTokenManager"/>.
/// </summary>
internal static class PersonalTokenEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/me/tokens").WithTags("Me")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        tokens.MapGet("/", ListAsync).WithName("ListMyTokens").WithSummary("List your personal access tokens (never their secrets).");
        tokens.MapPost("/", CreateAsync).WithName("CreateMyToken").WithSummary("Create a personal access token; the secret is returned once.");
        tokens.MapDelete("/{id:long}", RevokeAsync).WithName("RevokeMyToken").WithSummary("Revoke one of your personal access tokens.");
    }

    private static async Task<IResult> ListAsync(HttpContext context, AccessTokenManager manager, CancellationToken cancellationToken) =>
        Results.Ok((await manager.ListPersonalAsync(context.GetPrincipal(), cancellationToken)).Select(t => AccessTokenResponse.From(AccessTokenView.From(t))));

    private static async Task<IResult> CreateAsync(CreateTokenRequest request, HttpContext context, AccessTokenManager manager, CancellationToken cancellationToken)
    {
        var (token, secret) = await manager.CreatePersonalAsync(Caller.Of(context), request.Name, request.Scopes, request.ExpiresAt, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/me/tokens/{token.Id}", NewAccessTokenResponse.From(secret, AccessTokenView.From(token)));
    }

    private static async Task<IResult> RevokeAsync(long id, HttpContext context, AccessTokenManager manager, CancellationToken cancellationToken)
    {
        await manager.RevokePersonalAsync(Caller.Of(context), id, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record CreateTokenRequest(string? Name, IReadOnlyList<ScopeSpec>? Scopes, DateTimeOffset? ExpiresAt);
}
