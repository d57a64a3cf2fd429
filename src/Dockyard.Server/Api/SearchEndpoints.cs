using Dockyard.Server.Access;
using Dockyard.Server.Search;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>GET /api/v1/search</c>: full-text search over the repositories the caller may pull (names, descriptions, tags,
/// labels, annotations, platforms, base images), each word a prefix, with filters; and
/// <c>GET /api/v1/search/suggestions</c> for search boxes. Signed-in callers only (401 otherwise); bad parameters are
/// 400 ProblemDetails naming the parameter. Reads: not audited.
/// </summary>
internal static class SearchEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var search = api.MapGroup("/search").WithTags("Search").AddEndpointFilter(ApiResults.RequireAuthenticatedAsync);
        search.MapGet("/", SearchAsync).WithName("Search")
            .WithSummary("Search repositories you may pull: q (words, each a prefix, all must match), org, label (key=value), arch, since (ISO 8601), signed (true/false), limit (1–100, default 20), offset. Best match first.");
        search.MapGet("/suggestions", SuggestAsync).WithName("SearchSuggestions")
            .WithSummary("Up to 8 completions for q: repository names and repository:tag, drawn from your search results.");
    }

    private static async Task<IResult> SearchAsync(
        HttpContext context, SearchService search, string? q, string? org, string? label, string? arch, string? since, string? signed, int? limit, int? offset, CancellationToken cancellationToken)
    {
        var request = SearchRequest.Parse(q, org, label, arch, since, signed, limit, offset);
        return Results.Ok(await search.SearchAsync(context.GetPrincipal(), request, cancellationToken));
    }

    private static async Task<IResult> SuggestAsync(HttpContext context, SearchService search, string? q, CancellationToken cancellationToken)
    {
        if (q is { Length: > SearchRequest.MaxQueryLength })
        {
            return Results.Ok(Array.Empty<string>());
        }

        return Results.Ok(await search.SuggestAsync(context.GetPrincipal(), q, cancellationToken));
    }
}
