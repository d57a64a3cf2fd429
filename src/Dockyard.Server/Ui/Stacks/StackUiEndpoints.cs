using Dockyard.Control.Engines;
using Dockyard.Server.Access;
using Dockyard.Server.Api;
using Dockyard.Server.Control;
using Dockyard.Server.Control.Stacks.Status;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Ui.Stacks;

/// <summary>
/// The stack page's live CPU and memory, with the UI's session cookie: <c>GET /_ui/stacks/{name}/stats</c>, the same
/// service and format as <c>/api/v1/stacks/{name}/stats</c>. GET only: it changes nothing, so it needs no antiforgery
/// token, and a cross-site page cannot read its answer (same-origin policy; no CORS). Anonymous callers get 401,
/// refusals the API's ProblemDetails.
/// </summary>
internal static class StackUiEndpoints
{
    public const string Prefix = "/_ui/stacks/";

    public static void Map(WebApplication app) =>
        app.MapGet(Prefix + "{name}/stats", StatsAsync).ExcludeFromDescription();

    /// <summary>The URL of a stack's live stats, for the page and its script.</summary>
    public static string StatsUrl(string name) => Prefix + Uri.EscapeDataString(name) + "/stats";

    private static async Task<IResult> StatsAsync(string name, HttpContext context)
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (!context.GetPrincipal().IsAuthenticated)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "Sign in to see stack data.");
        }

        try
        {
            return await ServeStatsAsync(context, name);
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

    private static Task<IResult> ServeStatsAsync(HttpContext context, string name) =>
        StackStatusEndpoints.StatsAsync(name, context, context.RequestServices.GetRequiredService<StackStatusService>());
}
