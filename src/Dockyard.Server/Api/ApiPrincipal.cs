using Dockyard.Server.Access;

namespace Dockyard.Server.Api;

/// <summary>
/// The management API's view of authentication (see <c>Authentication/HeaderCredentials</c> for what is accepted).
/// No credentials means anonymous; credentials that were refused answer 401 on every endpoint, so a typo never
/// silently degrades to anonymous.
/// </summary>
internal static class ApiPrincipal
{
    /// <summary>The group filter: 401 when the request's credentials were refused; an authentication that broke is rethrown here, inside the API's error filter.</summary>
    public static async ValueTask<object?> RefuseBadCredentialsAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        invocation.HttpContext.ThrowIfAuthenticationFailed();
        var context = invocation.HttpContext;
        return !context.PresentedBadCredentials() ? await next(invocation)
            : context.CredentialRetryAfter() is { } retryAfter ? TooManyAttempts(context, retryAfter)
            : Unauthorized(context);
    }

    /// <summary>429 with <c>Retry-After</c>, as ProblemDetails: the source address is throttled (says nothing about the account).</summary>
    public static IResult TooManyAttempts(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts", detail: "Too many sign-in attempts from this address; retry after the time in Retry-After, or use an access token.");
    }

    /// <summary>401 with the Basic challenge, as ProblemDetails.</summary>
    public static IResult Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"dockyard\", charset=\"UTF-8\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required", detail: "Send valid credentials (Basic) or an access token (Bearer).");
    }

    /// <summary>403 as ProblemDetails.</summary>
    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);
}
