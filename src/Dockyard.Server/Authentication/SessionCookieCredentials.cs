using System.Globalization;
using System.Security.Claims;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Ui;
using Dockyard.Server.Ui.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Authentication;

/// <summary>
/// The web UI's session cookie. The cookie only says which user id signed in, when and how; the principal is built
/// from the account as stored now, so a deactivated or deleted user loses the session at their next request and the
/// administrator flag is always current. A session past the absolute limit, or of an account that is gone, is
/// signed out (the cookie deleted) and the request continues anonymous.
/// </summary>
internal sealed class SessionCookieCredentials(IDbContextFactory<DockyardDbContext> contexts, IOptions<UiOptions> options, TimeProvider time)
{
    public async Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string scheme)
    {
        if (!options.Value.Enabled || !context.Request.Cookies.ContainsKey(UiCookie.Name))
        {
            return AuthenticateResult.NoResult();
        }

        var cookie = await context.AuthenticateAsync(UiCookie.Scheme);
        var user = cookie.Principal;
        if (!cookie.Succeeded || user is null
            || !long.TryParse(user.FindFirstValue(UiCookie.UserIdClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !long.TryParse(user.FindFirstValue(UiCookie.SignedInClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var signedInTicks))
        {
            return AuthenticateResult.NoResult();
        }

        if (time.GetUtcNow().UtcTicks - signedInTicks > options.Value.AbsoluteTimeout.Ticks)
        {
            await context.SignOutAsync(UiCookie.Scheme);
            return AuthenticateResult.NoResult();
        }

        await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Username, u.IsAdmin, u.IsActive }).FirstOrDefaultAsync(context.RequestAborted);
        if (account is not { IsActive: true })
        {
            await context.SignOutAsync(UiCookie.Scheme);
            return AuthenticateResult.NoResult();
        }

        var principal = new Principal
        {
            Kind = PrincipalKind.User,
            Name = account.Username,
            UserId = userId,
            IsAdmin = account.IsAdmin,
            AuthMethod = user.FindFirstValue(UiCookie.MethodClaim) ?? AuthMethods.Password,
        };
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new PrincipalIdentity(principal, scheme, claims: user.Claims)), scheme));
    }
}
