using Dockyard.Server.Control.Logs;
using Dockyard.Server.Control.Stats;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/containers/{ref}/logs</c> and <c>/stats</c>: a container's log and resource figures, read from the
/// engine that runs it. Both stream as Server-Sent Events when the client sends <c>Accept: text/event-stream</c>;
/// otherwise logs are text/plain and stats one JSON sample. Authorized per container collection:
/// logs need <c>ContainerLogs</c>, stats <c>ContainerView</c> (a hidden container is 404, a refused one 403).
/// Limits and event formats: docs/control-plane.md, "Logs" and "Stats".
/// </summary>
internal static class ContainerStreamEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var containers = api.MapGroup("/containers").WithTags("Containers")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedAsync);
        containers.MapGet("/{ref}/logs", LogsAsync).WithName("GetContainerLogs")
            .WithSummary("The container's log: tail (default 500, at most 10000; all with download=true), since/until (RFC 3339, unix seconds or an age such as 15m), timestamps, stdout, stderr, follow, download. Server-Sent Events with Accept: text/event-stream, else text/plain.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream", additionalContentTypes: "text/plain");
        containers.MapGet("/{ref}/stats", StatsAsync).WithName("GetContainerStats")
            .WithSummary("The container's CPU, memory, network (null with host or none networking), block I/O and process count: one JSON sample, or Server-Sent Events of samples with Accept: text/event-stream.")
            .Produces<ContainerStatsView>(StatusCodes.Status200OK, "application/json", "text/event-stream");
    }

    private static async Task<IResult> LogsAsync(string @ref, HttpContext context)
    {
        await ContainerLogsHttp.ServeAsync(context, @ref);
        return Results.Empty;
    }

    private static Task<IResult> StatsAsync(string @ref, HttpContext context) => ContainerStatsHttp.ServeAsync(context, @ref);
}
