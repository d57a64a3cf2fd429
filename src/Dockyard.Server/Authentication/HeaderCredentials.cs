using System.Security.Claims;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Identity;
using Microsoft.AspNetCore.Authentication;

namespace Dockyard.Server.Authentication;

/// <summary>
/// <c>/api/v1</c> credentials: <c>Authorization: Basic</c> (username and password, or an access token as the
/// password) or <c>Authorization: Bearer</c> with an access token. No header means anonymous; a header with bad
/// credentials is a failure (the API answers 401), so a typo never silently degrades to anonymous. Password
/// sign-ins are throttled and audited by <see cref="ICredentialAuthenticator"/>; rejected bearer tokens and unreadable
/// headers are recorded here, aggregated per address (<see cref="RejectedCredentialAudit"/>).
/// </summary>
internal sealed class HeaderCredentials(ICredentialAuthenticator credentials, AccessTokenService tokens, AuditTrail audit, RejectedCredentialAudit rejections)
{
    /// <summary>The failure's <see cref="AuthenticationProperties"/> parameter that carries a throttled address's wait.</summary>
    public const string RetryAfterParameter = "dockyard.retry-after";

    private const string Refused = "invalid credentials";
    private const string Throttled = "too many sign-in attempts from this address";

    public async Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string scheme)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var (principal, unrecorded, retryAfter) = await AuthenticateAsync(header, context.RequestAborted);
        if (retryAfter is not null)
        {
            var properties = new AuthenticationProperties();
            properties.SetParameter(RetryAfterParameter, retryAfter);
            return AuthenticateResult.Fail(Throttled, properties);
        }

        if (principal is null && unrecorded is { } kind)
        {
            await rejections.RecordAsync(context, kind.Kind, kind.Reason);
        }

        return principal is null
            ? AuthenticateResult.Fail(Refused)
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new PrincipalIdentity(principal, scheme)), scheme));
    }

    /// <summary>The principal, or null with the refusal's kind and reason when no login recorded it, or a throttled address's wait.</summary>
    private async Task<(Principal? Principal, (string Kind, string Reason)? Unrecorded, TimeSpan? RetryAfter)> AuthenticateAsync(string header, CancellationToken cancellationToken)
    {
        if (AuthorizationHeader.Bearer(header) is { } token)
        {
            var bearer = await tokens.ValidateAsync(token, cancellationToken);
            if (bearer is null)
            {
                return (null, (RejectedCredentialAudit.AccessToken, "invalid, expired or revoked access token"), null);
            }

            await audit.LoginAsync("-", AuthMethods.AccessToken, bearer, failureReason: null);
            return (bearer, null, null);
        }

        if (!AuthorizationHeader.TryBasic(header, out var username, out var password))
        {
            return (null, (RejectedCredentialAudit.MalformedHeader, "unreadable Authorization header"), null);
        }

        // A refused password (or token as password) is recorded as a login failure by the authenticator.
        var result = await credentials.AuthenticateAsync(username, password, cancellationToken);
        return (result.Principal, null, result.RetryAfter);
    }
}
