using Dockyard.Server.Access;
using Dockyard.Server.Tokens;

namespace Dockyard.Server.Api;

/// <summary><c>POST /api/v1/keys/rotate</c>: a new token-signing key (system administrators only).</summary>
internal static class SigningKeyEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapPost("/keys/rotate", RotateAsync).WithName("RotateSigningKey");

    private static async Task<IResult> RotateAsync(HttpContext context, SigningKeyStore keys)
    {
        var principal = context.GetPrincipal();
        if (!principal.IsAuthenticated)
        {
            return ApiPrincipal.Unauthorized(context);
        }

        // Repository-scoped access tokens never carry system administration, even an admin's.
        if (!principal.IsAdmin || principal.Scopes is not null)
        {
            return ApiPrincipal.Forbidden("Only system administrators can rotate signing keys.");
        }

        var kid = await keys.RotateAsync(context.RequestAborted);
        return Results.Ok(new RotatedKey(kid));
    }

    internal sealed record RotatedKey(string Kid);
}
