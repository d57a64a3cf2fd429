using System.Security.Claims;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Identity;
using Microsoft.AspNetCore.Authentication;

namespace Dockyard.Server.Ui.Auth;

/// <summary>
/// Starts and ends UI sessions: a server-side record (<see cref="UiSessionStore"/>) and the cookie naming it. Who the
/// caller is comes from <c>HttpContext.User</c>, which the authentication handler resolves from this cookie and the
/// record on every request (<c>Authentication/SessionCookieCredentials</c>).
/// </summary>
internal sealed class UiSession(IHttpContextAccessor http, UiSessionStore sessions, TrustedProxies proxies)
{
    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("The UI session is only available during a request.");

    /// <summary>The session of the current request, when it came with a valid session cookie.</summary>
    public static ActiveUiSession? Current(HttpContext context) => (context.User.Identity as PrincipalIdentity)?.Credential as ActiveUiSession;

    /// <summary>Starts a session for a user who just proved who they are; the rest of this request acts as them.</summary>
    public async Task SignInAsync(Principal principal)
    {
        if (principal is not { Kind: PrincipalKind.User, UserId: { } userId, Scopes: null })
        {
            throw new ArgumentException("Only users acting with full rights can sign in to the UI.", nameof(principal));
        }

        var context = Context;
        var (id, secret) = await sessions.CreateAsync(
            userId,
            principal.AuthMethod,
            proxies.ClientAddress(context)?.ToString(),
            context.Request.Headers.UserAgent.ToString(),
            CancellationToken.None);
        Claim[] claims = [new Claim(UiCookie.SessionClaim, secret)];
        await context.SignInAsync(UiCookie.Scheme, new ClaimsPrincipal(new ClaimsIdentity(claims, UiCookie.Scheme)), new AuthenticationProperties { IsPersistent = false });
        var session = new ActiveUiSession(id, userId, principal.Name, principal.IsAdmin, principal.AuthMethod);
        context.User = new ClaimsPrincipal(new PrincipalIdentity(principal, UiCookie.Scheme, credential: session, claims: claims));
    }

    /// <summary>Ends the current session on the server and deletes the cookie.</summary>
    public async Task SignOutAsync()
    {
        var context = Context;
        if (Current(context) is { } session)
        {
            await sessions.EndAsync(session.Id, UiSessionEndReasons.SignedOut, CancellationToken.None);
        }

        await context.SignOutAsync(UiCookie.Scheme);
        context.User = new ClaimsPrincipal(new ClaimsIdentity());
    }
}
