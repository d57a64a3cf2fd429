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
        api.MapPost("/me/password", ChangePasswordAsync).WithName("ChangeMyPassword").WithSummary("Change your own password, proving the current one.").WithTags("Me")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedAsync).AddEndpointFilter(ApiResults.TranslateErrorsAsync);
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
        await users.ChangePasswordAsync(Caller.Of(context), request.CurrentPassword, request.NewPassword, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record MeResponse(string Name, string Kind, bool IsAdmin, string AuthMethod);

    internal sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
}
