using System.Text.Json;
using Dockyard.Registry.Metadata;

namespace Dockyard.Server.Distribution;

/// <summary><c>GET /v2/_catalog</c> with <c>n</c>/<c>last</c> pagination.</summary>
internal static class CatalogEndpoints
{
    public static async Task ListAsync(HttpContext context)
    {
        var page = Pagination.FromQuery(context);
        var index = context.RequestServices.GetRequiredService<IRegistryIndex>();
        var names = page.Limit == 0
            ? []
            : await index.ListRepositoriesAsync(page.Last, page.Limit + 1, context.RequestAborted);
        var more = names.Count > page.Limit;
        var shown = more ? names.Take(page.Limit).ToList() : names;
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
