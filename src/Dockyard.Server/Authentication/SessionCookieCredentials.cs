using System.Security.Claims;
using Dockyard.Server.Access;
using Dockyard.Server.Identity;
using Dockyard.Server.Ui;
using Dockyard.Server.Ui.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Authentication;

/// <summary>
/// The web UI's session cookie. The cookie only carries the session's secret (data-protected); the session record
/// (<see cref="UiSessionStore"/>) is checked on every request, and the principal is built from the account as stored
/// now. So a session that was ended (sign-out, password change, deactivation, "sign out everywhere"), expired, or whose
/// user is inactive or gone is not signed in — even with a copy of the cookie — and the administrator flag is always
/// current. Such a cookie is deleted and the request continues anonymous.
/// </summary>
internal sealed class SessionCookieCredentials(UiSessionStore sessions, IOptions<UiOptions> options)
{
    public async Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string scheme)
    {
        if (!options.Value.Enabled || !context.Request.Cookies.ContainsKey(UiCookie.Name))
        {
            return AuthenticateResult.NoResult();
        }

        var cookie = await context.AuthenticateAsync(UiCookie.Scheme);
        var secret = cookie.Principal?.FindFirstValue(UiCookie.SessionClaim);
        var session = cookie.Succeeded && secret is { Length: > 0 }
            ? await sessions.ValidateAsync(secret, context.RequestAborted)
            : null;
        if (session is null)
        {
            await context.SignOutAsync(UiCookie.Scheme);
            return AuthenticateResult.NoResult();
        }

        var principal = new Principal
        {
            Kind = PrincipalKind.User,
            Name = session.Username,
            UserId = session.UserId,
            IsAdmin = session.IsAdmin,
            AuthMethod = session.AuthMethod,
        };
        var identity = new PrincipalIdentity(principal, scheme, credential: session, claims: cookie.Principal!.Claims);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), scheme));
    }
}
