using System.Security.Claims;

namespace Dockyard.Server.Access;

/// <summary>
/// Reads the caller of a request. The authentication handler (<c>Authentication/DockyardAuthenticationHandler</c>)
/// sets <c>HttpContext.User</c> once per request; everything else only reads it through here.
/// </summary>
internal static class HttpContextPrincipal
{
    /// <summary>The caller, or <see cref="Principal.Anonymous"/>.</summary>
    public static Principal GetPrincipal(this HttpContext context) => context.User.GetPrincipal();

    /// <summary>The <see cref="Principal"/> a <see cref="ClaimsPrincipal"/> stands for, or anonymous.</summary>
    public static Principal GetPrincipal(this ClaimsPrincipal user) =>
        user.Identity is PrincipalIdentity identity ? identity.Principal : Principal.Anonymous;

    /// <summary>The credential the caller presented (see <see cref="PrincipalIdentity.Credential"/>), if of type <typeparamref name="T"/>.</summary>
    public static T? GetCredential<T>(this HttpContext context) where T : class =>
        (context.User.Identity as PrincipalIdentity)?.Credential as T;

    /// <summary>
    /// True when the request presented credentials that were refused (a bad password, an unknown token): an API
    /// answers 401 then, never silently treats the caller as anonymous.
    /// </summary>
    public static bool PresentedBadCredentials(this HttpContext context) => context.Features.Get<RejectedCredentials>() is not null;

    /// <summary>The reason credentials were refused, for logs and audit (never for clients); null when none were.</summary>
    public static string? CredentialFailure(this HttpContext context) => context.Features.Get<RejectedCredentials>()?.Reason;

    /// <summary>Rethrows an unexpected failure of the request's authentication (see <see cref="AuthenticationError"/>).</summary>
    public static void ThrowIfAuthenticationFailed(this HttpContext context) => context.Features.Get<AuthenticationError>()?.Error.Throw();

    /// <summary>Records that the request's credentials were refused (the authentication handler calls this).</summary>
    public static void RejectCredentials(this HttpContext context, string reason, TimeSpan? retryAfter = null) =>
        context.Features.Set(new RejectedCredentials(reason, retryAfter));

    /// <summary>Set when the credentials were not checked because the source address is throttled: how long until it may retry.</summary>
    public static TimeSpan? CredentialRetryAfter(this HttpContext context) => context.Features.Get<RejectedCredentials>()?.RetryAfter;
}
