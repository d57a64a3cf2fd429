using System.Diagnostics;
using System.Globalization;
using Prometheus;

namespace Dockyard.Server.Observability;

/// <summary>
/// <c>/auth/token</c> and <c>/api/v1</c> request counts and latencies by route template, method and status
/// (<c>dockyard_http_requests_total</c>, <c>dockyard_http_request_duration_seconds</c>). The route label is the
/// endpoint's template (<c>/api/v1/engines/{name}</c>) or <c>unmatched</c>, and unknown methods are <c>OTHER</c>: the
/// label sets stay bounded whatever paths clients send. <c>/v2</c> has its own family (Distribution's RegistryRequestMetrics).
/// </summary>
internal sealed class HttpRequestMetrics
{
    /// <summary>Not a real status: the client closed the connection before the answer (as nginx logs it).</summary>
    public const int ClientClosedRequest = 499;

    private static readonly string[] KnownMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private readonly Counter _requests;
    private readonly Histogram _duration;

    public HttpRequestMetrics(RegistryMetrics metrics)
    {
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        _requests = factory.CreateCounter("dockyard_http_requests_total", "Token and management API requests by route template, method and status.", "route", "method", "status");
        _duration = factory.CreateHistogram(
            "dockyard_http_request_duration_seconds",
            "Token and management API request latency by route template, method and status.",
            new HistogramConfiguration
            {
                LabelNames = ["route", "method", "status"],
                Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16),
            });
    }

    /// <summary>The paths counted here: the token endpoint and the management API.</summary>
    public static bool Covers(PathString path) =>
        path.StartsWithSegments("/auth/token", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs the rest of the pipeline and records it; an exception escaping counts as 500 (499 when the client left).</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next) =>
        Covers(context.Request.Path) ? ObserveAsync(context, next) : next(context);   // /v2 counts itself: no await around it

    private async Task ObserveAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = ClientClosedRequest;
            throw;
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var method = Array.Find(KnownMethods, m => string.Equals(m, context.Request.Method, StringComparison.OrdinalIgnoreCase)) ?? "OTHER";
            var labels = new[] { route, method, status.ToString(CultureInfo.InvariantCulture) };
            _requests.WithLabels(labels).Inc();
            _duration.WithLabels(labels).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
