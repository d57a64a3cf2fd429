using Dockyard.Server.Access;
using Dockyard.Server.Search;

namespace Dockyard.Server.Ui.Pages;

/// <summary>
/// The top bar's search suggestions: <c>GET /_ui/search/suggestions?q=</c> on the UI's cookie session, answering a JSON
/// array of strings from <see cref="SearchService.SuggestAsync"/> (the same permission-filtered results as the API;
/// a GET that changes nothing: no antiforgery needed). Signed-in users only (401 otherwise).
/// </summary>
internal static class SearchUiEndpoints
{
    public const string SuggestionsPath = "/_ui/search/suggestions";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(SuggestionsPath, SuggestAsync).ExcludeFromDescription();

    private static async Task<IResult> SuggestAsync(HttpContext context, SearchService search, string? q)
    {
        var principal = context.GetPrincipal();
        if (!principal.IsAuthenticated)
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        context.Response.Headers.CacheControl = "no-store";
        return q is { Length: > SearchRequest.MaxQueryLength }
            ? Results.Ok(Array.Empty<string>())
            : Results.Ok(await search.SuggestAsync(principal, q, context.RequestAborted));
    }
}
