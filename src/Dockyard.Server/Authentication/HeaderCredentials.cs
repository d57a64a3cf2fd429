using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Identity;
using Microsoft.AspNetCore.Authentication;

namespace Dockyard.Server.Authentication;

/// <summary>
/// <c>/api/v1</c> credentials: <c>Authorization: Basic</c> (username and password, or an access token as the
/// password) or <c>Authorization: Bearer</c> with an access token. No header means anonymous; a header with bad
/// credentials is a failure (the API answers 401), so a typo never silently degrades to anonymous. Password
/// sign-ins are throttled and audited by <see cref="ICredentialAuthenticator"/>; rejected bearer tokens are audited here.
/// </summary>
internal sealed class HeaderCredentials(ICredentialAuthenticator credentials, AccessTokenService tokens, AuditTrail audit)
{
    private const string Refused = "invalid credentials";

    public async Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string scheme)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var principal = await AuthenticateAsync(header, context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail(Refused)
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new PrincipalIdentity(principal, scheme)), scheme));
    }

    private async Task<Principal?> AuthenticateAsync(string header, CancellationToken cancellationToken)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || string.IsNullOrEmpty(value.Parameter))
        {
            return null;
        }

        if (string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var bearer = await tokens.ValidateAsync(value.Parameter, cancellationToken);
            await audit.LoginAsync("-", AuthMethods.AccessToken, bearer, "invalid, expired or revoked access token");
            return bearer;
        }

        if (!string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var result = await credentials.AuthenticateAsync(decoded[..colon], decoded[(colon + 1)..], cancellationToken);
        return result.Principal;
    }
}
