using System.Text.Json;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Access;

namespace Dockyard.Server.Distribution;

/// <summary>
/// <c>GET /v2/_catalog</c> with <c>n</c>/<c>last</c> pagination, listing only what the caller may pull. Pages are
/// filled after filtering (reading further batches from the index as needed), so a page is short only at the end.
/// </summary>
internal static class CatalogEndpoints
{
    public static async Task ListAsync(HttpContext context)
    {
        var page = Pagination.FromQuery(context);
        var cancellationToken = context.RequestAborted;
        var index = context.RequestServices.GetRequiredService<IRepositoryIndex>();
        var principal = context.GetRegistryPrincipal();
        var authorizer = context.RequestServices.GetRequiredService<IAccessAuthorizer>();
        var visible = new List<string>();
        var after = page.Last;
        // One more than the page, to know whether a next link is due.
        while (page.Limit > 0 && visible.Count <= page.Limit)
        {
            var batchSize = Math.Max(page.Limit + 1, 100);
            var batch = await index.ListRepositoriesAsync(after, batchSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            visible.AddRange(principal is null ? batch : await authorizer.FilterPullableAsync(principal, batch, cancellationToken));
            after = batch[^1];
            if (batch.Count < batchSize)
            {
                break;
            }
        }

        var more = visible.Count > page.Limit;
        var shown = more ? visible.Take(page.Limit).ToList() : visible;
        page.WriteNextLink(context.Response, "/v2/_catalog", shown, more);

        context.Response.ContentType = "application/json";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("repositories");
        foreach (var name in shown)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        // Writing into the response pipe never blocks; the pipe flushes when the handler returns.
        writer.Flush();
    }
}
