using Dockyard.Server.Audit;
using Dockyard.Server.Tokens;

namespace Dockyard.Server.Api;

/// <summary><c>POST /api/v1/keys/rotate</c>: a new token-signing key (system administrators only).</summary>
internal static class SigningKeyEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapPost("/keys/rotate", RotateAsync).WithName("RotateSigningKey")
        .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);

    /// <summary>Authorized and audited by <see cref="SigningKeyStore.RotateAsync"/>.</summary>
    private static async Task<IResult> RotateAsync(HttpContext context, SigningKeyStore keys) =>
        Results.Ok(new RotatedKey(await keys.RotateAsync(Caller.Of(context), context.RequestAborted)));

    internal sealed record RotatedKey(string Kid);
}
