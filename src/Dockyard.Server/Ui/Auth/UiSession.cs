using System.Globalization;
using System.Security.Claims;
using Dockyard.Server.Access;
using Microsoft.AspNetCore.Authentication;

namespace Dockyard.Server.Ui.Auth;

/// <summary>
/// Starts and ends UI sessions (the cookie). Who the caller is comes from <c>HttpContext.User</c>, which the
/// authentication handler resolves from this cookie on every request (<c>Authentication/SessionCookieCredentials</c>).
/// </summary>
internal sealed class UiSession(IHttpContextAccessor http, TimeProvider time)
{
    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("The UI session is only available during a request.");

    /// <summary>Starts a session for a user who just proved who they are; the rest of this request acts as them.</summary>
    public async Task SignInAsync(Principal principal)
    {
        if (principal is not { Kind: PrincipalKind.User, UserId: { } userId, Scopes: null })
        {
            throw new ArgumentException("Only users acting with full rights can sign in to the UI.", nameof(principal));
        }

        Claim[] claims =
        [
            new Claim(UiCookie.UserIdClaim, userId.ToString(CultureInfo.InvariantCulture)),
            new Claim(UiCookie.SignedInClaim, time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture)),
            new Claim(UiCookie.MethodClaim, principal.AuthMethod),
        ];
        await Context.SignInAsync(UiCookie.Scheme, new ClaimsPrincipal(new ClaimsIdentity(claims, UiCookie.Scheme)), new AuthenticationProperties { IsPersistent = false });
        Context.User = new ClaimsPrincipal(new PrincipalIdentity(principal, UiCookie.Scheme, claims: claims));
    }

    public async Task SignOutAsync()
    {
        await Context.SignOutAsync(UiCookie.Scheme);
        Context.User = new ClaimsPrincipal(new ClaimsIdentity());
    }
}
