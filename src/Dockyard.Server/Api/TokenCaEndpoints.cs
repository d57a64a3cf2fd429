using Dockyard.Server.Tokens;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>GET /api/v1/trust/token-ca</c>: the token CA certificate as PEM, public (a certificate is no secret): what a
/// notary server's <c>auth.options.rootcertbundle</c> file holds to accept Dockyard's tokens (docs/trust.md).
/// </summary>
internal static class TokenCaEndpoints
{
    public const string PemMediaType = "application/x-pem-file";

    public static void Map(RouteGroupBuilder api) => api.MapGet("/trust/token-ca", GetAsync).WithName("GetTokenCa")
        .Produces<string>(StatusCodes.Status200OK, PemMediaType);

    private static async Task<IResult> GetAsync(HttpContext context, TokenCertificateAuthority authority) =>
        Results.Text(await authority.GetCertificatePemAsync(context.RequestAborted), PemMediaType);
}
