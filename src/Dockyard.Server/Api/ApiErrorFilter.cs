using Dockyard.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dockyard.Server.Api;

/// <summary>
/// The one error handler of <c>/api/v1</c>: the outermost filter of the group, so it covers every route, the caller
/// resolution and the audit filter. Domain errors become their registered ProblemDetails (<see cref="ApiResults"/>), an engine's
/// failure first becomes one (<see cref="Control.EngineErrors"/>);
/// a full disk or database is answered 507 (<see cref="ApiResults.StorageFull"/>); anything unexpected is logged once and answered with a 500 ProblemDetails naming only the request id; a response
/// already under way is aborted instead. What the framework answers before any filter runs (a body it cannot bind,
/// an unmatched path) gets its ProblemDetails from <see cref="ManagementApi.UseManagementApiErrors"/>.
/// </summary>
internal static partial class ApiErrorFilter
{
    public static async ValueTask<object?> HandleAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        try
        {
            return await next(invocation);
        }
        catch (DomainException error)
        {
            return error.Kind == DomainErrorKind.Unauthenticated ? ApiPrincipal.Unauthorized(context) : ApiResults.From(error);
        }
        catch (Dockyard.Control.Engines.EngineApiException error) when (!context.Response.HasStarted)
        {
            return ApiResults.From(Control.EngineErrors.ToDomain(error));
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            // Kestrel's or the framework's verdict on the request (body too large, malformed form, …): theirs to tell.
            return error.StatusCode == StatusCodes.Status400BadRequest
                ? ApiResults.Malformed(error.Message)
                : Results.Problem(statusCode: error.StatusCode, title: "Bad request", detail: error.Message);
        }
        catch (Exception error) when (OutOfSpace.Is(error) && !context.Response.HasStarted)
        {
            // The data volume or the database is full: nothing was changed (the transaction and its audit entry failed together).
            LogStorageFull(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrorFilter).FullName!), context.Request.Method, context.Request.Path, error.Message);
            return ApiResults.StorageFull();
        }
        catch (Exception error) when (error is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            var requestId = context.TraceIdentifier;
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrorFilter).FullName!);
            LogUnexpected(logger, error, context.Request.Method, context.Request.Path, requestId);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return EmptyHttpResult.Instance;
            }

            return ApiResults.Unexpected(requestId);
        }
    }

    [LoggerMessage(EventId = 361, Level = LogLevel.Warning, Message = "Management API request {Method} {Path} refused: the storage is full ({Reason})")]
    private static partial void LogStorageFull(ILogger logger, string method, PathString path, string reason);

    [LoggerMessage(EventId = 360, Level = LogLevel.Error, Message = "Management API request {Method} {Path} failed unexpectedly (request {RequestId})")]
    private static partial void LogUnexpected(ILogger logger, Exception error, string method, PathString path, string requestId);
}
