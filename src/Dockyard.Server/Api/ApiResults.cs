using Dockyard.Server.Access;
using Dockyard.Server.Accounts;

namespace Dockyard.Server.Api;

/// <summary>
/// ProblemDetails results of the management API, and the one translation of <see cref="AccountException"/>:
/// invalid input is 400 with field messages, a missing resource 404, a conflict with the current state 409, a refusal
/// by a service's authorization 403.
/// </summary>
internal static class ApiResults
{
    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}", title: "Invalid request");

    public static IResult From(AccountException error) => error.Kind switch
    {
        AccountErrorKind.Invalid => Invalid(error.Field ?? "request", error.Message),
        AccountErrorKind.NotFound => NotFound(error.Message),
        AccountErrorKind.Forbidden => ApiPrincipal.Forbidden(error.Message),
        _ => Conflict(error.Message),
    };

    /// <summary>Endpoint filter: 401 for anonymous callers.</summary>
    public static async ValueTask<object?> RequireAuthenticatedAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        invocation.HttpContext.GetPrincipal().IsAuthenticated ? await next(invocation) : ApiPrincipal.Unauthorized(invocation.HttpContext);

    /// <summary>Endpoint filter: account errors raised by the services become ProblemDetails.</summary>
    public static async ValueTask<object?> TranslateErrorsAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        try
        {
            return await next(invocation);
        }
        catch (AccountException error)
        {
            return From(error);
        }
    }
}
