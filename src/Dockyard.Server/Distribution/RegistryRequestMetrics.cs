using Dockyard.Server.Observability;
using Prometheus;

namespace Dockyard.Server.Distribution;

/// <summary>
/// <c>/v2</c> request counts and latencies by route, method and status, in the server's <c>/metrics</c>
/// (<see cref="RegistryMetrics.Registry"/>). The status is what the client got, except that a response aborted after
/// its status line counts as 500 and a request the client abandoned as 499. Label children are resolved once per (route, method, status) and cached,
/// so observing a request allocates nothing on the hot path.
/// </summary>
internal sealed class RegistryRequestMetrics
{
    /// <summary>Not a real status: the client closed the connection before the answer (as nginx logs it).</summary>
    public const int ClientClosedRequest = 499;

    private static readonly string[] RouteNames = Enum.GetNames<RegistryRouteKind>().Select(n => n.ToLowerInvariant()).ToArray();

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Dictionary<(RegistryRouteKind, string, int), (Counter.Child Requests, Histogram.Child Duration)> _children = [];
    private readonly Lock _childrenLock = new();

    public RegistryRequestMetrics(RegistryMetrics registry)
    {
        var factory = Metrics.WithCustomRegistry(registry.Registry);
        _requests = factory.CreateCounter("dockyard_registry_requests_total", "Registry API requests by route, method and status.", "route", "method", "status");
        _duration = factory.CreateHistogram(
            "dockyard_registry_request_duration_seconds",
            "Registry API request latency by route, method and status.",
            new HistogramConfiguration
            {
                LabelNames = ["route", "method", "status"],
                Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16),
            });
    }

    public void ObserveRequest(RegistryRouteKind route, string method, int status, TimeSpan elapsed)
    {
        var key = (route, method, status);
        (Counter.Child Requests, Histogram.Child Duration) child;
        lock (_childrenLock)
        {
            if (!_children.TryGetValue(key, out child))
            {
                var labels = new[] { RouteNames[(int)route], method, status.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                child = (_requests.WithLabels(labels), _duration.WithLabels(labels));
                _children[key] = child;
            }
        }

        child.Requests.Inc();
        child.Duration.Observe(elapsed.TotalSeconds);
    }
}
