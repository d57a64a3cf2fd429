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
        return invocation.HttpContext.PresentedBadCredentials() ? Unauthorized(invocation.HttpContext) : await next(invocation);
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
