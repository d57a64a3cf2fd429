using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Api;

/// <summary>
/// Web UI sign-in sessions: <c>/api/v1/me/sessions</c> (a user lists and ends their own) and
/// <c>/api/v1/users/{name}/sessions</c> (a system administrator signs a user out everywhere). A scoped token can do
/// none of it. Authorized and audited by <see cref="UiSessionManager"/>.
/// </summary>
internal static class SessionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var own = api.MapGroup("/me/sessions").WithTags("Me")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        own.MapGet("/", ListAsync).WithName("ListMySessions").WithSummary("List your web UI sessions that are valid now (never their secrets).");
        own.MapDelete("/{id:long}", EndAsync).WithName("EndMySession").WithSummary("End one of your web UI sessions (its cookie stops working at once).");
        api.MapDelete("/users/{name}/sessions", SignOutEverywhereAsync).WithTags("Users")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync)
            .WithName("SignOutUserEverywhere").WithSummary("End every web UI session of a user and revoke their refresh tokens (system administrators).");
    }

    private static async Task<IResult> ListAsync(HttpContext context, UiSessionManager sessions, CancellationToken cancellationToken) =>
        Results.Ok((await sessions.ListOwnAsync(context.GetPrincipal(), cancellationToken)).Select(s => SessionResponse.From(UiSessionView.From(s))));

    private static async Task<IResult> EndAsync(long id, HttpContext context, UiSessionManager sessions, CancellationToken cancellationToken)
    {
        await sessions.EndOwnAsync(Caller.Of(context), id, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> SignOutEverywhereAsync(string name, HttpContext context, UiSessionManager sessions, CancellationToken cancellationToken)
    {
        await sessions.SignOutEverywhereAsync(Caller.Of(context), name, cancellationToken);
        return Results.NoContent();
    }
}
