using System.Security.Claims;
using Dockyard.Server.Access;
using Microsoft.AspNetCore.Authentication;

namespace Dockyard.Server.Tokens;

/// <summary>The outcome of <see cref="RegistryTokenValidator"/>; <see cref="Failure"/> is for logs only.</summary>
internal sealed record RegistryTokenValidation(RegistryTokenClaims? Claims, string? Failure)
{
    private AuthenticateResult? _result;

    public static RegistryTokenValidation Success(RegistryTokenClaims claims) => new(claims, null);

    public static RegistryTokenValidation Fail(string reason) => new(null, reason);

    /// <summary>
    /// The successful authentication this token stands for: built once and kept with the cached validation, so the
    /// requests of a pull that all carry the same token allocate no identity of their own. Nothing mutates it.
    /// </summary>
    public AuthenticateResult AuthenticateResult(string scheme)
    {
        var claims = Claims ?? throw new InvalidOperationException("A failed validation has no identity.");
        return _result ??= Microsoft.AspNetCore.Authentication.AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(new PrincipalIdentity(claims.Principal, scheme, claims)), scheme));
    }
}
