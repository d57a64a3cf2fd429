using Dockyard.Control.Engines;
using Dockyard.Server.Access;
using Dockyard.Server.Api;
using Dockyard.Server.Control;
using Dockyard.Server.Control.Logs;
using Dockyard.Server.Control.Stats;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Ui.ContainerStreams;

/// <summary>
/// The browser's live container data, with the UI's session cookie: <c>GET /_ui/containers/{ref}/logs</c> and
/// <c>/stats</c>, the same services and formats as <c>/api/v1/containers/{ref}/logs|stats</c>
/// (<see cref="ContainerLogsHttp"/>, <see cref="ContainerStatsHttp"/>). GET only: they change nothing, so they need no
/// antiforgery token, and a cross-site page cannot read their answers (same-origin policy; no CORS). Anonymous
/// callers get 401, refusals the API's ProblemDetails.
/// </summary>
internal static class ContainerStreamUiEndpoints
{
    public const string Prefix = "/_ui/containers/";

    public static void Map(WebApplication app)
    {
        app.MapGet(Prefix + "{ref}/logs", LogsAsync).ExcludeFromDescription();
        app.MapGet(Prefix + "{ref}/stats", StatsAsync).ExcludeFromDescription();
    }

    /// <summary>The URL of a container's live logs, for the page and its script.</summary>
    public static string LogsUrl(string reference) => Prefix + Uri.EscapeDataString(reference) + "/logs";

    /// <summary>The URL of a container's live stats.</summary>
    public static string StatsUrl(string reference) => Prefix + Uri.EscapeDataString(reference) + "/stats";

    private static Task<IResult> LogsAsync(string @ref, HttpContext context) =>
        RunAsync(context, async () =>
        {
            await ContainerLogsHttp.ServeAsync(context, @ref);
            return Results.Empty;
        });

    private static Task<IResult> StatsAsync(string @ref, HttpContext context) =>
        RunAsync(context, () => ContainerStatsHttp.ServeAsync(context, @ref));

    private static async Task<IResult> RunAsync(HttpContext context, Func<Task<IResult>> serve)
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (!context.GetPrincipal().IsAuthenticated)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "Sign in to see container data.");
        }

        try
        {
            return await serve();
        }
        catch (DomainException error) when (!context.Response.HasStarted)
        {
            return ApiResults.From(error);
        }
        catch (EngineApiException error) when (!context.Response.HasStarted)
        {
            return ApiResults.From(EngineErrors.ToDomain(error));
        }
    }
}
