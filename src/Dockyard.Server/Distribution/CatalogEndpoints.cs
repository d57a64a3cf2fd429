using System.Text.Json;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Access;

namespace Dockyard.Server.Distribution;

/// <summary>
/// <c>GET /v2/_catalog</c> with <c>n</c>/<c>last</c> pagination, listing only what the caller may pull. Pages are
/// filled after filtering (reading further batches as needed), so a page is short only at the end. The listing is
/// the authorizer's pull rule run as a query (<see cref="IAccessAuthorizer.ListPullableAsync"/>).
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
            int scanned;
            if (principal is null)
            {
                // Authentication is off: everything is visible.
                var batch = await index.ListRepositoriesAsync(after, batchSize, cancellationToken);
                visible.AddRange(batch);
                (scanned, after) = (batch.Count, batch.Count > 0 ? batch[^1] : after);
            }
            else
            {
                // The authorizer's pull rule as a query (the same rule as a single pull decision); token scopes
                // can shorten a batch, so keep reading until the page is full or the rule admits no more.
                var batch = await authorizer.ListPullableAsync(principal, after, batchSize, cancellationToken);
                visible.AddRange(batch.Pullable);
                (scanned, after) = (batch.Scanned, batch.Last);
            }

            if (scanned < batchSize)
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
