using System.Diagnostics;
using Dockyard.Server.Access;

namespace Dockyard.Server.AccessLog;

/// <summary>
/// The optional access log (<c>Dockyard:AccessLog:Enabled</c>, off by default): one structured event per request under
/// the category <c>Dockyard.Access</c> with the method, the route template (or the path; never the query string), the
/// status, the duration, who called (name and kind), the declared request and response lengths and the request id.
/// Never a header value, a token or a password. When off it is not added to the pipeline at all.
/// </summary>
internal static partial class AccessLogMiddleware
{
    public const string EnabledKey = "Dockyard:AccessLog:Enabled";
    public const string Category = "Dockyard.Access";

    /// <summary>Adds the middleware first in the pipeline, so that it also sees requests refused early.</summary>
    public static void Use(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var failed = true;
            try
            {
                await next(context);
                failed = false;
            }
            finally
            {
                // An exception that escaped the pipeline is answered 500 by the server unless the response had begun.
                var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                Write(logger, context, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    private static void Write(ILogger logger, HttpContext context, int status, double milliseconds)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var request = context.Request;
        // The template groups requests (/api/v1/users/{name}); a catch-all one (the /v2 surface) says less than the path.
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (route is null || route.Contains("{*", StringComparison.Ordinal))
        {
            route = string.Concat(request.PathBase.Value, request.Path.Value);
        }

        var principal = context.GetPrincipal();
        LogRequest(
            logger,
            request.Method,
            route,
            status,
            Math.Round(milliseconds, 1),
            principal.Name,
            principal.Kind.ToString(),
            request.ContentLength,
            context.Response.ContentLength,
            context.TraceIdentifier);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "{Method} {Route} {Status} {DurationMs} ms {Principal} ({PrincipalKind}) in={BytesIn} out={BytesOut} {RequestId}")]
    private static partial void LogRequest(
        ILogger logger, string method, string route, int status, double durationMs, string principal, string principalKind, long? bytesIn, long? bytesOut, string requestId);
}
