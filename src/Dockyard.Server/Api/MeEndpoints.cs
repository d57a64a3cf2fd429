namespace Dockyard.Server.Api;

/// <summary><c>GET /api/v1/me</c>: who the caller is.</summary>
internal static class MeEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/me", Get).WithName("GetMe");

    private static IResult Get(HttpContext context)
    {
        var principal = context.GetPrincipal();
        if (!principal.IsAuthenticated)
        {
            return ApiPrincipal.Unauthorized(context);
        }

        return Results.Ok(new MeResponse(principal.Name, principal.Kind.ToString().ToLowerInvariant(), principal.IsAdmin, principal.AuthMethod));
    }

    internal sealed record MeResponse(string Name, string Kind, bool IsAdmin, string AuthMethod);
}
