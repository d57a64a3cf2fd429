using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Api;

/// <summary><c>/api/v1/me</c>: who the caller is, and a user changing their own password.</summary>
internal static class MeEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/me", Get).WithName("GetMe").WithSummary("Who the caller is.").WithTags("Me");
        api.MapPost("/me/password", ChangePasswordAsync).WithName("ChangeMyPassword").WithSummary("Change your own password, proving the current one (full rights only; ends your web UI sessions and revokes your refresh tokens).").WithTags("Me")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
    }

    private static IResult Get(HttpContext context)
    {
        var principal = context.GetPrincipal();
        if (!principal.IsAuthenticated)
        {
            return ApiPrincipal.Unauthorized(context);
        }

        return Results.Ok(new MeResponse(principal.Name, principal.Kind.ToString().ToLowerInvariant(), principal.IsAdmin, principal.AuthMethod));
    }

    private static async Task<IResult> ChangePasswordAsync(ChangePasswordRequest request, HttpContext context, UserService users, CancellationToken cancellationToken)
    {
        // API callers have no UI session to keep: every session of the user ends.
        await users.ChangePasswordAsync(Caller.Of(context), request.CurrentPassword, request.NewPassword, keepSessionId: null, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record MeResponse(string Name, string Kind, bool IsAdmin, string AuthMethod);

    internal sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
}
