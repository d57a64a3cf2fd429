using Dockyard.Server.Access;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Api;

/// <summary>
/// ProblemDetails results of the management API, and its error registry: each <see cref="DomainErrorKind"/> is
/// registered once with its status and title (invalid input 400 with field messages, a missing resource 404, a
/// conflict with the current state 409, a refused operation 403, an engine that cannot be reached 503). <see cref="ApiErrorFilter"/> applies it.
/// </summary>
internal static class ApiResults
{
    private static readonly Dictionary<DomainErrorKind, (int Status, string Title)> Registered = new()
    {
        [DomainErrorKind.Invalid] = (StatusCodes.Status400BadRequest, "Invalid request"),
        [DomainErrorKind.NotFound] = (StatusCodes.Status404NotFound, "Not found"),
        [DomainErrorKind.Conflict] = (StatusCodes.Status409Conflict, "Conflict"),
        [DomainErrorKind.Forbidden] = (StatusCodes.Status403Forbidden, "Forbidden"),
        [DomainErrorKind.Unauthenticated] = (StatusCodes.Status401Unauthorized, "Authentication required"),
        [DomainErrorKind.Unavailable] = (StatusCodes.Status503ServiceUnavailable, "Service unavailable"),
    };

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: Registered[DomainErrorKind.NotFound].Title, detail: detail);

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: Registered[DomainErrorKind.Conflict].Title, detail: detail);

    public static IResult Invalid(string field, string message, IReadOnlyDictionary<string, object?>? extensions = null) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: $"{field}: {message}",
            title: Registered[DomainErrorKind.Invalid].Title,
            extensions: extensions is { Count: > 0 } ? extensions : null);

    /// <summary>The HTTP status a domain error is answered with (the API's, and the UI's forms').</summary>
    public static int StatusOf(DomainErrorKind kind) => Registered[kind].Status;

    public static IResult From(DomainException error) => error.Kind == DomainErrorKind.Invalid
        ? Invalid(error.Field ?? "request", error.Message, error.Extensions)
        : Results.Problem(
            statusCode: StatusOf(error.Kind),
            title: Registered[error.Kind].Title,
            detail: error.Message,
            extensions: error.Extensions.Count > 0 ? error.Extensions : null);

    /// <summary>A body, route or query value the framework could not bind (it answered 400 without calling the handler).</summary>
    public static IResult Malformed(string? detail = null) =>
        Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Malformed request",
            detail: detail ?? "The request could not be read: a body that is not JSON of the expected shape, or a route or query value of the wrong type.");

    /// <summary>The storage is full (<see cref="OutOfSpace"/>): 507, nothing was changed; an operator must free space.</summary>
    public static IResult StorageFull() =>
        Results.Problem(
            statusCode: StatusCodes.Status507InsufficientStorage,
            title: "Insufficient storage",
            detail: "The server's storage is full; nothing was changed. Retry once an operator has freed space.");

    /// <summary>An unexpected failure: a generic 500 naming the request id (logged with the exception), never internals.</summary>
    public static IResult Unexpected(string requestId) =>
        Results.Problem(
            statusCode: StatusCodes.Status500InternalServerError,
            title: "Internal server error",
            detail: $"An unexpected error occurred; quote request id {requestId} when reporting it.",
            extensions: new Dictionary<string, object?> { ["requestId"] = requestId });

    /// <summary>
    /// Endpoint filter for groups whose state changes are authorized and audited by their services: 401 for anonymous
    /// reads; an anonymous change goes on to its service, which records the refusal and answers 401
    /// (<see cref="DomainErrorKind.Unauthenticated"/>).
    /// </summary>
    public static async ValueTask<object?> RequireAuthenticatedToReadAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        return context.GetPrincipal().IsAuthenticated || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            ? await next(invocation)
            : ApiPrincipal.Unauthorized(context);
    }

    /// <summary>Endpoint filter: 401 for anonymous callers.</summary>
    public static async ValueTask<object?> RequireAuthenticatedAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        invocation.HttpContext.GetPrincipal().IsAuthenticated ? await next(invocation) : ApiPrincipal.Unauthorized(invocation.HttpContext);
}
