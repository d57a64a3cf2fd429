using System.Globalization;
using System.Security.Claims;
using Dockyard.Server.Access;
using Dockyard.Server.Api;
using Dockyard.Server.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Ui.Auth;

/// <summary>
/// The signed-in user of one UI request. The cookie only says which user id signed in and when; the
/// <see cref="Principal"/> is built from the account as stored now, so a deactivated or deleted user loses the
/// session at their next request and the administrator flag is always current. Scoped: resolved once per request.
/// </summary>
internal sealed class UiSession(
    IHttpContextAccessor http,
    IDbContextFactory<DockyardDbContext> contexts,
    IOptions<UiOptions> options,
    TimeProvider time)
{
    private Task<Principal>? _principal;

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("The UI session is only available during a request.");

    /// <summary>The caller: a live user, or <see cref="Principal.Anonymous"/>.</summary>
    public Task<Principal> GetPrincipalAsync(CancellationToken cancellationToken) => _principal ??= ResolveAsync(cancellationToken);

    /// <summary>Starts a session for a user who just proved who they are.</summary>
    public async Task SignInAsync(Principal principal)
    {
        if (principal is not { Kind: PrincipalKind.User, UserId: { } userId, Scopes: null })
        {
            throw new ArgumentException("Only users acting with full rights can sign in to the UI.", nameof(principal));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(UiCookie.UserIdClaim, userId.ToString(CultureInfo.InvariantCulture)),
                new Claim(UiCookie.SignedInClaim, time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture)),
                new Claim(UiCookie.MethodClaim, principal.AuthMethod),
            ],
            UiCookie.Scheme);
        await Context.SignInAsync(UiCookie.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        _principal = Task.FromResult(principal);
        Context.SetPrincipal(principal);
    }

    public async Task SignOutAsync()
    {
        await Context.SignOutAsync(UiCookie.Scheme);
        _principal = Task.FromResult(Principal.Anonymous);
    }

    private async Task<Principal> ResolveAsync(CancellationToken cancellationToken)
    {
        var context = Context;
        var user = context.User;
        if (user.Identity is not { IsAuthenticated: true, AuthenticationType: UiCookie.Scheme }
            || !long.TryParse(user.FindFirstValue(UiCookie.UserIdClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !long.TryParse(user.FindFirstValue(UiCookie.SignedInClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var signedInTicks))
        {
            return Principal.Anonymous;
        }

        if (time.GetUtcNow().UtcTicks - signedInTicks > options.Value.AbsoluteTimeout.Ticks)
        {
            await context.SignOutAsync(UiCookie.Scheme);
            return Principal.Anonymous;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Username, u.IsAdmin, u.IsActive }).FirstOrDefaultAsync(cancellationToken);
        if (account is not { IsActive: true })
        {
            await context.SignOutAsync(UiCookie.Scheme);
            return Principal.Anonymous;
        }

        var principal = new Principal
        {
            Kind = PrincipalKind.User,
            Name = account.Username,
            UserId = userId,
            IsAdmin = account.IsAdmin,
            AuthMethod = user.FindFirstValue(UiCookie.MethodClaim) ?? AuthMethods.Password,
        };

        // Audit entries written during this request name the UI user.
        context.SetPrincipal(principal);
        return principal;
    }
}
